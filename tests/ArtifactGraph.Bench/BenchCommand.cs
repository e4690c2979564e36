using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Scenarios;
using ArtifactGraph.Bench.Seeding;

namespace ArtifactGraph.Bench;

/// <summary>The command line: options common to every scenario, then the chosen scenario with a report.</summary>
public static class BenchCommand
{
    public static RootCommand Build()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "The benchmark to run: " + string.Join("; ", BenchScenarios.All.Select(s => $"{s.Name}: {s.Description}")),
            DefaultValueFactory = _ => BenchScenarios.All[0].Name,
        };
        scenario.AcceptOnlyFromAmong([.. BenchScenarios.All.Select(s => s.Name)]);
        var sizes = new Option<DataSet[]>("--sizes")
        {
            Description = $"Data sets, comma-separated: numbers of artifact versions (1000, 10k…) or '{DataSet.DirectusName}' (Directus's seed data); "
                + "default: " + string.Join("; ", BenchScenarios.All.Select(s => $"{string.Join(',', s.DefaultSizes.Select(d => d.Name))} for {s.Name}")),
            CustomParser = ParseSizes,
            AllowMultipleArgumentsPerToken = true,
        };
        var duration = Seconds("--duration", "Measured seconds per query (queries) or row (promotions)", 10);
        var warmUp = Seconds("--warmup", "Warm-up seconds per query or row, not measured", 5);
        var serverWarmUp = Seconds("--server-warmup", "Seconds of load on each new server (all queries, or promotions of every kind) before anything is measured, for the JIT to settle", 60, allowZero: true);
        var connections = new Option<int>("--connections") { Description = "Concurrent HTTP connections (one closed-loop worker each)", DefaultValueFactory = _ => 16 };
        var postgres = new Option<string?>("--pg")
        {
            Description = "Npgsql connection string of a PostgreSQL superuser (default: AG_TEST_PG, which tests/bench.sh sets)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AG_TEST_PG"),
        };
        var serverEnv = new Option<string[]>("--server-env")
        {
            Description = "NAME=VALUE added to the server's environment (repeatable), e.g. to compare a setting: --server-env Logging__LogLevel__Default=Warning",
            DefaultValueFactory = _ => [],
            CustomParser = r => r.Tokens.All(t => t.Value.IndexOf('=') > 0) ? [.. r.Tokens.Select(t => t.Value)] : Fail<string[]>(r, "--server-env: NAME=VALUE"),
        };
        var compareEnv = new Option<string[]>("--compare-env")
        {
            Description = "compare scenario: NAME=VALUE that server B adds to A's environment (repeatable), e.g. --compare-env DB_POOL__MAX=8",
            DefaultValueFactory = _ => [],
            CustomParser = r => r.Tokens.All(t => t.Value.IndexOf('=') > 0) ? [.. r.Tokens.Select(t => t.Value)] : Fail<string[]>(r, "--compare-env: NAME=VALUE"),
        };
        var serverPg = new Option<string?>("--server-pg-options")
        {
            Description = "Npgsql settings appended to the server's connection string, e.g. \"No Reset On Close=true\"",
        };
        var keep = new Option<bool>("--keep")
        {
            Description = "Keep each data set's database and work folder after the run (their names are printed), e.g. to EXPLAIN its queries; drop them yourself",
        };
        var nodes = new Option<int[]>("--nodes")
        {
            Description = "nodes scenario: numbers of server processes over the one database, comma-separated (default 1,2,3); "
                + "the NOTIFY rows run on the largest",
            DefaultValueFactory = _ => [1, 2, 3],
            CustomParser = ParseNodes,
            AllowMultipleArgumentsPerToken = true,
        };
        var subscribers = new Option<int>("--subscribers")
        {
            Description = "subscriptions scenario: WebSocket subscribers, one connection each (default 1000)",
            DefaultValueFactory = _ => 1000,
        };
        var updates = new Option<int>("--updates")
        {
            Description = "subscriptions scenario: measured updates, each delivered to every subscriber (default 20)",
            DefaultValueFactory = _ => 20,
        };
        var indexedOnly = new Option<bool>("--indexed-only")
        {
            Description = "frontend scenario: measure with the scale indexes only (no pass after dropping them): the figures at scale without the long unindexed pass",
        };
        var results = new Option<string>("--results") { Description = "Folder for the report", DefaultValueFactory = _ => BenchPaths.Results };

        var root = new RootCommand("ArtifactGraph benchmarks: figures, never pass/fail. Run through tests/bench.sh.")
        {
            scenario, sizes, duration, warmUp, serverWarmUp, connections, postgres, serverEnv, compareEnv, serverPg, keep, nodes, subscribers, updates, indexedOnly, results,
        };
        root.SetAction((parse, ct) =>
        {
            var pg = parse.GetValue(postgres);
            if (string.IsNullOrWhiteSpace(pg))
            {
                Console.Error.WriteLine("bench: no PostgreSQL: run tests/bench.sh (it starts a private one), or set AG_TEST_PG or --pg");
                return Task.FromResult(2);
            }

            var load = new LoadOptions(parse.GetValue(connections), parse.GetValue(warmUp), parse.GetValue(duration));
            var extraEnv = parse.GetValue(serverEnv)!.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var name = parse.GetValue(scenario)!;
            var options = new BenchOptions(
                name, parse.GetValue(sizes) is { Length: > 0 } given ? given : BenchScenarios.All.Single(s => s.Name == name).DefaultSizes, load, parse.GetValue(serverWarmUp), pg, extraEnv, parse.GetValue(serverPg), parse.GetValue(results)!, parse.GetValue(keep), parse.GetValue(nodes)!,
                Math.Max(1, parse.GetValue(subscribers)), Math.Max(1, parse.GetValue(updates)), parse.GetValue(indexedOnly),
                parse.GetValue(compareEnv)!.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
            return RunAsync(options, ct);
        });
        return root;
    }

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var scenario = BenchScenarios.All.Single(s => s.Name == options.Scenario);
        var postgres = new PostgresAdmin(options.PostgresConnectionString);
        var statements = await StatementStats.CreateAsync(postgres, cancellationToken);
        var report = new BenchReport($"ArtifactGraph benchmark: {scenario.Name}");
        report.Section("Conditions", await ConditionsAsync(options, scenario, postgres, statements, cancellationToken));
        var context = new BenchContext(options, postgres, statements, await postgres.PostmasterPidAsync(cancellationToken), report);

        await scenario.RunAsync(context, cancellationToken);

        var path = await report.WriteAsync(options.ResultsDirectory, scenario.Name, cancellationToken);
        BenchContext.Progress($"report written to {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
        return 0;
    }

    private static async Task<string> ConditionsAsync(BenchOptions options, IBenchScenario scenario, PostgresAdmin postgres, StatementStats statements, CancellationToken cancellationToken)
    {
        string[] lines =
        [
            $"- date: {DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}; commit: {GitCommit() ?? "unknown"}",
            $"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; client, server and PostgreSQL share them",
            $"- server: ArtifactGraph.Server (Release, {RuntimeInformation.FrameworkDescription}), LOG_LEVEL=warn; PostgreSQL {await postgres.VersionAsync(cancellationToken)} on loopback ({await postgres.DurabilityAsync(cancellationToken)})",
            scenario.LoadConditions is { } load ? $"- load: {load}" : $"- load: {options.Load.Connections} connections, {options.ServerWarmUp.TotalSeconds:0.#} s server warm-up, then {options.Load.WarmUp.TotalSeconds:0.#} s warm-up + {options.Load.Duration.TotalSeconds:0.#} s measured per row; POST /graphql with a static admin token",
            $"- SQL statements counted by {statements.Source}",
            .. options.ServerEnvironment.Select(e => $"- extra server environment: `{e.Key}={e.Value}`"),
            .. options.CompareEnvironment.Select(e => $"- server B's extra environment (compare): `{e.Key}={e.Value}`"),
            .. (options.ServerPostgresOptions is { } extra ? [$"- extra server connection settings: `{extra}`"] : Array.Empty<string>()),
        ];
        return string.Join('\n', lines);
    }

    private static Option<TimeSpan> Seconds(string name, string description, double seconds, bool allowZero = false) => new(name)
    {
        Description = $"{description} (default {seconds})",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(seconds),
        CustomParser = r => double.TryParse(r.Tokens.Single().Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && (s > 0 || (allowZero && s == 0))
            ? TimeSpan.FromSeconds(s)
            : Fail<TimeSpan>(r, $"{name}: a {(allowZero ? "non-negative" : "positive")} number of seconds"),
    };

    private static DataSet[] ParseSizes(ArgumentResult result)
    {
        try
        {
            return [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(DataSet.Parse)];
        }
        catch (FormatException ex)
        {
            return Fail<DataSet[]>(result, ex.Message);
        }
    }

    private static int[] ParseNodes(ArgumentResult result)
    {
        var counts = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return counts.Count > 0 && counts.All(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 16)
            ? [.. counts.Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Distinct().Order()]
            : Fail<int[]>(result, "--nodes: numbers of nodes from 1 to 16, comma-separated");
    }

    private static T Fail<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }

    private static string? GitCommit()
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                WorkingDirectory = BenchPaths.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
