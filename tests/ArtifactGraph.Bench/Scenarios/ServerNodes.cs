using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Seeding;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>Several server processes over one benchmark database, started together, all stopped on dispose.</summary>
public sealed class ServerNodes : IAsyncDisposable
{
    private readonly List<ServerProcess> _servers;

    private ServerNodes(List<ServerProcess> servers) => _servers = servers;

    public IReadOnlyList<ServerProcess> All => _servers;

    /// <summary>Starts <paramref name="count"/> servers with the database's settings and <paramref name="extra"/> on top.</summary>
    public static async Task<ServerNodes> StartAsync(
        BenchContext context, BenchDatabase database, int count, IReadOnlyDictionary<string, string> extra, CancellationToken cancellationToken)
    {
        var environment = database.ServerEnvironment(context.Options).Concat(extra).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var starting = Enumerable.Range(0, count)
            .Select(_ => ServerProcess.StartAsync(context.Server, environment, database.WorkDirectory, cancellationToken))
            .ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            await Task.WhenAll(starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result.DisposeAsync().AsTask()));
            throw;
        }

        var nodes = new ServerNodes([.. starting.Select(s => s.Result)]);
        BenchContext.Progress($"{count} node(s) started: {string.Join(", ", nodes._servers.Select(s => $"pid {s.Pid} at {s.BaseAddress}"))}");
        return nodes;
    }

    /// <summary>A client that sends its requests to the first <paramref name="count"/> nodes in turn.</summary>
    public HttpClient Client(int count, int connections)
        => LoadDriver.CreateClient([.. _servers.Take(count).Select(s => s.BaseAddress)], DataSetImporter.AdminToken, connections);

    /// <summary>Prints each node's last log lines, and whether it is still running, to explain failed requests.</summary>
    public void ReportLogs()
    {
        foreach (var server in _servers)
        {
            BenchContext.Progress($"node pid {server.Pid} ({(server.HasExited ? "exited" : "running")}), its last log lines:\n{server.Output()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
