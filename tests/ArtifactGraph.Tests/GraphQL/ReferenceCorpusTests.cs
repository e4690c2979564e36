using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Replays every one of Directus's recorded cases, reads and mutations (080–102 and 133 create rows and delete them
/// again, in file order), with its own runner, <c>run-corpus.js</c>, against the real server process on each database;
/// then the read cases a second time, when they take the direct read path.
/// </summary>
public sealed partial class ReferenceCorpusTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Reference_cases_replayed_by_run_corpus_all_pass(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        var recorded = Path.Combine(SharedPaths.DirectusReference, "cases");
        await using var server = await ServerProcess.StartAsync(database);
        var all = Directory.CreateTempSubdirectory("ag-corpus-");
        var reads = Directory.CreateTempSubdirectory("ag-corpus-reads-");
        try
        {
            ReferenceDivergences.CopyTo(recorded, all.FullName, _ => true);
            var (exitCode, output) = await RunAsync("node", [
                Path.Combine(SharedPaths.DirectusReference, "run-corpus.js"), "--base", server.BaseUrl, "--token", "oracle-admin-token", "--dir", all.FullName,
            ]);
            var summary = SummaryLine().Match(output);
            Assert.True(summary.Success, output);
            Assert.True(exitCode == 0 && summary.Groups[2].Value == "0", output);
            Assert.Equal(Directory.GetFiles(recorded, "*.json").Length, int.Parse(summary.Groups[1].Value));

            // Again, the read cases only: each document has now passed validation once, so every plain read is answered by
            // the direct read path instead of GraphQL.NET's engine, and must give the very same answers.
            ReferenceDivergences.CopyTo(recorded, reads.FullName,
                name => int.Parse(name[..3], System.Globalization.CultureInfo.InvariantCulture) is not (>= 80 and <= 102 or 132 or 133));
            var (again, againOutput) = await RunAsync("node", [
                Path.Combine(SharedPaths.DirectusReference, "run-corpus.js"), "--base", server.BaseUrl, "--token", "oracle-admin-token", "--dir", reads.FullName,
            ]);
            var second = SummaryLine().Match(againOutput);
            Assert.True(second.Success && again == 0 && second.Groups[2].Value == "0", againOutput);
            Assert.Equal(reads.GetFiles("*.json").Length, int.Parse(second.Groups[1].Value));
        }
        finally
        {
            all.Delete(recursive: true);
            reads.Delete(recursive: true);
        }
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string command, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^(\d+) passed, (\d+) failed$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}

/// <summary>The built ArtifactGraph server run as its own process on a free loopback port, over a test database.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private ServerProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The lines the server wrote to stdout and stderr so far (its logs, at Warning and above).</summary>
    public IReadOnlyCollection<string> Output => output;

    public bool HasExited => process.HasExited;

    /// <param name="environment">More settings (or other values) for the server's environment variables.</param>
    public static async Task<ServerProcess> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ArtifactGraph.Server.dll"));
        info.Environment["HOST"] = "127.0.0.1";
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DB_CLIENT"] = database.Client == DatabaseClient.Postgres ? "pg" : "sqlite3";
        info.Environment[database.Client == DatabaseClient.Postgres ? "DB_CONNECTION_STRING" : "DB_FILENAME"] =
            database.Client == DatabaseClient.Postgres ? database.ConnectionString : database.ConnectionString.Replace("Data Source=", "", StringComparison.Ordinal).Split(';')[0];
        info.Environment["STORAGE_LOCAL_ROOT"] = database.Settings.StorageLocalRoot;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["QUERY_BATCH_SIZE"] = info.Environment["QUERY_FIRST_BATCH_SIZE"] = TestDatabase.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var server = new ServerProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        // Generous: the suite starts many servers at once on two cores, and a server's start-up is JIT-bound.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                if ((await http.GetAsync($"{server.BaseUrl}/server/ping")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.False(process.HasExited, "the server process exited during start-up:\n" + string.Join("\n", server.Output.TakeLast(30)));
            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("the server did not answer /server/ping within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
