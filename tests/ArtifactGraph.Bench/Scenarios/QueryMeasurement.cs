using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one query on one data set.</summary>
public sealed record QueryFigures(string DataSet, PerfQuery Query, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>Drives one query against a running server under load and collects what the server, PostgreSQL and the client did.</summary>
public static class QueryMeasurement
{
    public static async Task<QueryFigures> MeasureAsync(
        BenchContext context, BenchDatabase database, ServerProcess server, HttpClient client, PerfQuery query, CancellationToken cancellationToken)
    {
        var post = query.Request();
        await CheckOnceAsync(client, post, server, cancellationToken);
        var requests = new RepeatedRequests([post], context.Options.Load.Connections);
        var measured = await LoadMeasurement.MeasureAsync(context, database, server, client, requests, cancellationToken);
        return new QueryFigures(database.Import.DataSet, query, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory);
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
