using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one query on one data set.</summary>
public sealed record QueryFigures(string DataSet, PerfQuery Query, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
{
    /// <summary>The statements the server asked for (connection resets excluded).</summary>
    public double StatementsPerRequest => (Statements.Statements - Statements.ConnectionResets) / (double)Math.Max(1, Load.CompletedSinceStart);

    public double ConnectionResetsPerRequest => Statements.ConnectionResets / (double)Math.Max(1, Load.CompletedSinceStart);

    /// <summary>PostgreSQL's execution time per request (pg_stat_statements only; 0 otherwise).</summary>
    public double DatabaseMillisecondsPerRequest => Statements.Shapes.Sum(s => s.TotalMilliseconds) / Math.Max(1, Load.CompletedSinceStart);
}

/// <summary>Drives one query against a running server under load and collects what the server, PostgreSQL and the client did.</summary>
public static class QueryMeasurement
{
    public static async Task<QueryFigures> MeasureAsync(
        BenchContext context, BenchDatabase database, ServerProcess server, HttpClient client, PerfQuery query, CancellationToken cancellationToken)
    {
        var post = new GraphQLPost(query.Query);
        await CheckOnceAsync(client, post, server, cancellationToken);

        if (!server.ResetPeakMemory())
        {
            BenchContext.Progress("cannot reset the server's peak memory: the figure covers the server's whole run");
        }

        var sampler = new CpuSampler(server.Pid, context.PostmasterPid);
        CpuUsage? cpu = null;
        var hooks = new MeasureHooks(
            async ct =>
            {
                await context.Statements.ResetAsync(database.Name, ct);
                sampler.Start();
            },
            () => cpu = sampler.Stop());
        var load = await LoadDriver.RunAsync(client, post, context.Options.Load, hooks, cancellationToken);
        var statements = await context.Statements.ReadAsync(database.Name, cancellationToken);
        if (load.FirstFailure is { } failure)
        {
            BenchContext.Progress($"{load.Failures} failed requests; the first: {failure}");
        }

        return new QueryFigures(database.Import.DataSet, query, load, statements, cpu!, server.PeakMemory);
    }

    // One request before the load: a broken query or token stops the benchmark with the answer, not with N failures.
    private static async Task CheckOnceAsync(HttpClient client, GraphQLPost post, ServerProcess server, CancellationToken cancellationToken)
    {
        using var request = post.CreateRequest();
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var problem = response.IsSuccessStatusCode ? GraphQLPost.CheckAnswer(body) : $"HTTP {(int)response.StatusCode}";
        if (problem is not null)
        {
            throw new InvalidOperationException($"The query fails ({problem}): {post.Query}\nServer log:\n{server.Output()}");
        }
    }
}
