using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;

namespace ArtifactGraph.Bench.Scenarios;

/// <param name="ServerWarmUp">Load on every new server before its first figure, so that its JIT has settled.</param>
/// <param name="ServerEnvironment">Extra settings for the server under test (<c>--server-env</c>), on top of the benchmark's.</param>
/// <param name="ServerPostgresOptions">Npgsql settings appended to the server's connection string (<c>--server-pg-options</c>).</param>
/// <param name="Keep">Leave each data set's database and work folder in place after the run (<c>--keep</c>).</param>
/// <param name="Nodes">The numbers of server processes the <c>nodes</c> scenario runs over one database (<c>--nodes</c>).</param>
/// <param name="Subscribers">The WebSocket subscribers the <c>subscriptions</c> scenario opens (<c>--subscribers</c>).</param>
/// <param name="Updates">The measured updates of the <c>subscriptions</c> scenario (<c>--updates</c>).</param>
/// <param name="IndexedOnly">The <c>frontend</c> scenario measures with the scale indexes only (<c>--indexed-only</c>).</param>
/// <param name="CompareEnvironment">The settings the <c>compare</c> scenario's server B adds (<c>--compare-env</c>).</param>
public sealed record BenchOptions(
    string Scenario, IReadOnlyList<DataSet> Sizes, LoadOptions Load, TimeSpan ServerWarmUp, string PostgresConnectionString,
    IReadOnlyDictionary<string, string> ServerEnvironment, string? ServerPostgresOptions, string ResultsDirectory, bool Keep = false,
    IReadOnlyList<int>? Nodes = null, int Subscribers = 1000, int Updates = 20, bool IndexedOnly = false,
    IReadOnlyDictionary<string, string>? CompareEnvironment = null)
{
    public IReadOnlyDictionary<string, string> CompareEnvironment { get; init; } = CompareEnvironment ?? new Dictionary<string, string>();
}

/// <summary>What every scenario shares: the options, the PostgreSQL server, the server build, the report.</summary>
public sealed class BenchContext(BenchOptions options, PostgresAdmin postgres, StatementStats statements, int? postmasterPid, BenchReport report)
{
    public BenchOptions Options { get; } = options;

    public PostgresAdmin Postgres { get; } = postgres;

    public StatementStats Statements { get; } = statements;

    /// <summary>Null when PostgreSQL's processes are not visible here: its CPU is then not reported.</summary>
    public int? PostmasterPid { get; } = postmasterPid;

    public ServerDll Server { get; } = ServerDll.BesideBenchmark;

    public BenchReport Report { get; } = report;

    public static void Progress(string message) => Console.Error.WriteLine($"bench: {message}");
}
