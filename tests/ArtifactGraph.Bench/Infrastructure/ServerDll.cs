using System.Diagnostics;

namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>
/// The server's build output (ArtifactGraph.Server.dll, copied beside the benchmark by the project reference, in the
/// same configuration) and how to start it with <c>dotnet</c>: the environment carries its settings, as in production.
/// </summary>
public sealed class ServerDll(string path)
{
    /// <summary>Settings the server reads from the environment; inherited values are dropped so only ours apply.</summary>
    private static readonly string[] SettingPrefixes =
        ["DB_", "ADMIN_", "HOST", "PORT", "PUBLIC_URL", "QUERY_LIMIT_", "GRAPHQL_", "MAX_", "STORAGE_", "LOG_LEVEL", "ASPNETCORE_", "DOTNET_ENVIRONMENT"];

    public static ServerDll BesideBenchmark { get; } = new(System.IO.Path.Combine(AppContext.BaseDirectory, "ArtifactGraph.Server.dll"));

    public string Path { get; } = path;

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"The server is not built: {Path}");
        }

        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.Where(k => SettingPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>Runs a server command (e.g. <c>import FILE</c>) to its end; its output is returned, and thrown with a failure.</summary>
    public async Task<string> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(arguments, environment, workingDirectory))!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        var output = await stdout + await stderr;
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"'{string.Join(' ', arguments)}' exited with {process.ExitCode}:\n{output}");
    }

    // The muxer that runs this benchmark when started as `dotnet X.dll`, else the one the SDK names, else PATH's.
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
