using System.Diagnostics.Metrics;

namespace ArtifactGraph.Server.Telemetry;

/// <summary>
/// ArtifactGraph's own instruments (meter <c>ArtifactGraph</c>), next to ASP.NET Core's request metrics and Npgsql's pool
/// metrics: GraphQL operations by type and error code, SQL statements per request, rate-limit refusals, and the caches'
/// hits, misses and evictions (read from the caches' own counters when collected). Recording costs nothing measurable
/// when no listener is attached (metrics off).
/// </summary>
public sealed class ArtifactGraphMetrics : IDisposable
{
    public const string MeterName = "ArtifactGraph";

    private readonly Meter meter;
    private readonly Counter<long> operations;
    private readonly Histogram<long> statements;
    private readonly Counter<long> refusals;

    public ArtifactGraphMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        operations = meter.CreateCounter<long>(
            "artifactgraph.graphql.operations", "{operation}", "GraphQL operations answered, by type (query, mutation) and error code (none when it succeeded).");
        statements = meter.CreateHistogram<long>(
            "artifactgraph.sql.statements", "{statement}", "SQL statements a request sent to the database.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 3, 4, 6, 8, 12, 16, 32, 64] });
        refusals = meter.CreateCounter<long>(
            "artifactgraph.rate_limiter.refusals", "{request}", "Requests refused by the rate limiter (429 REQUESTS_EXCEEDED).");
    }

    /// <param name="type"><c>query</c>, <c>mutation</c>, <c>subscription</c>, or <c>none</c> when no operation was selected.</param>
    /// <param name="code">The first error's Directus code, or null when the answer has no error.</param>
    public void GraphQLOperation(string? type, string? code)
        => operations.Add(1, new KeyValuePair<string, object?>("type", type ?? "none"), new KeyValuePair<string, object?>("code", code ?? "none"));

    public void Statements(long count, string? route)
        => statements.Record(count, new KeyValuePair<string, object?>("http.route", route ?? "unmatched"));

    public void RateLimitRefused() => refusals.Add(1);

    /// <summary>Reports the caches' counters, each with its name as the <c>cache</c> tag (call once).</summary>
    public void ObserveCaches(IReadOnlyList<(string Name, Func<CacheCounts> Read)> caches)
    {
        meter.CreateObservableCounter(
            "artifactgraph.cache.hits", () => Measure(caches, c => c.Hits), "{lookup}", "Lookups a cache answered from memory.");
        meter.CreateObservableCounter(
            "artifactgraph.cache.misses", () => Measure(caches, c => c.Misses), "{lookup}", "Lookups a cache could not answer: the value was loaded or built.");
        meter.CreateObservableCounter(
            "artifactgraph.cache.evictions", () => Measure(caches, c => c.Evictions), "{entry}", "Entries a cache dropped to make room for others or because they expired.");
    }

    private static IEnumerable<Measurement<long>> Measure(IReadOnlyList<(string Name, Func<CacheCounts> Read)> caches, Func<CacheCounts, long> value)
        => caches.Select(c => new Measurement<long>(value(c.Read()), new KeyValuePair<string, object?>("cache", c.Name)));

    public void Dispose() => meter.Dispose();
}
