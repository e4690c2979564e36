using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>A load on a running server, and what the server, PostgreSQL and the machine did meanwhile.</summary>
public record MeasuredLoad(LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
{
    /// <summary>The statements the server asked for (connection resets excluded).</summary>
    public double StatementsPerRequest => (Statements.Statements - Statements.ConnectionResets) / (double)Math.Max(1, Load.CompletedSinceStart);

    public double ConnectionResetsPerRequest => Statements.ConnectionResets / (double)Math.Max(1, Load.CompletedSinceStart);

    /// <summary>PostgreSQL's execution time per request (pg_stat_statements only; 0 otherwise).</summary>
    public double DatabaseMillisecondsPerRequest => Statements.Shapes.Sum(s => s.TotalMilliseconds) / Math.Max(1, Load.CompletedSinceStart);
}

/// <summary>
/// Runs a load against a running server with the counters around its measured period: the server's peak memory is
/// started afresh before it, the database's statements and the CPU split are taken over the measured period.
/// </summary>
public static class LoadMeasurement
{
    public static Task<MeasuredLoad> MeasureAsync(
        BenchContext context, BenchDatabase database, ServerProcess server, HttpClient client, ILoadRequests requests, CancellationToken cancellationToken)
        => MeasureAsync(context, database, [server], client, requests, cancellationToken);

    /// <summary>With several nodes: their CPU is added up, and the peak memory is the largest node's.</summary>
    public static async Task<MeasuredLoad> MeasureAsync(
        BenchContext context, BenchDatabase database, IReadOnlyList<ServerProcess> servers, HttpClient client, ILoadRequests requests, CancellationToken cancellationToken)
    {
        if (!servers.All(s => s.ResetPeakMemory()))
        {
            BenchContext.Progress("cannot reset the server's peak memory: the figure covers the server's whole run");
        }

        var sampler = new CpuSampler([.. servers.Select(s => s.Pid)], context.PostmasterPid);
        CpuUsage? cpu = null;
        var hooks = new MeasureHooks(
            async ct =>
            {
                await context.Statements.ResetAsync(database.Name, ct);
                sampler.Start();
            },
            () => cpu = sampler.Stop());
        var load = await LoadDriver.RunAsync(client, requests, context.Options.Load, hooks, cancellationToken);
        var statements = await context.Statements.ReadAsync(database.Name, cancellationToken);
        if (load.FirstFailure is { } failure)
        {
            BenchContext.Progress($"{load.Failures} failed requests; the first: {failure}");
        }

        return new MeasuredLoad(load, statements, cpu!, servers.Max(s => s.PeakMemory));
    }
}
