using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Storage;

/// <summary>
/// A throwaway s3rver (an S3-compatible server on Node.js, from <c>tests/s3rver</c>; <c>tests/run-tests.sh</c> installs it)
/// on 127.0.0.1 and a free port, with one bucket, its data in a temp folder; stopped and removed on dispose.
/// </summary>
public sealed class S3rverProcess : IAsyncLifetime
{
    public const string Bucket = "artifactgraph-test";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "artifactgraph-tests", $"s3rver-{Guid.NewGuid():N}");
    private Process? process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(SharedPaths.RepositoryRoot, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException(
                $"s3rver is not installed: expected {script}. Run tests/run-tests.sh, or 'npm ci' in tests/s3rver.");
        }

        Directory.CreateDirectory(directory);
        var port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(), "-s", "--configure-bucket", Bucket })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Endpoint = $"http://127.0.0.1:{port}";

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
