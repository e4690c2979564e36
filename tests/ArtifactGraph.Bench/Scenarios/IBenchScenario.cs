using ArtifactGraph.Bench.Seeding;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>One benchmark of the program (<c>--scenario NAME</c>): it adds its sections to the context's report.</summary>
public interface IBenchScenario
{
    string Name { get; }

    string Description { get; }

    /// <summary>The data sets it runs on when <c>--sizes</c> is not given.</summary>
    IReadOnlyList<DataSet> DefaultSizes { get; }

    /// <summary>The report's "load" line when the common load options (connections, durations) do not describe the scenario.</summary>
    string? LoadConditions => null;

    Task RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>Every scenario the program offers; a new benchmark is a new class added here.</summary>
public static class BenchScenarios
{
    public static IReadOnlyList<IBenchScenario> All { get; } =
    [
        new QueriesScenario(), new PromotionsScenario(), new FilesScenario(), new NodesScenario(), new AccountabilityScenario(),
        new FrontendScenario(), new SubscriptionsScenario(), new LargeScenario(), new CompareScenario(),
    ];
}
