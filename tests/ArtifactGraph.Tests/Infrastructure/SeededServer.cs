namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>
/// The built server as its own process over a SQLite database holding the reference seed, shared by the tests of the
/// "seeded server" collection. They run one after another; a test that writes creates its own rows.
/// </summary>
public sealed class SeededServer() : ServerFixture;

[CollectionDefinition(Name)]
public sealed class SeededServerCollection : ICollectionFixture<SeededServer>
{
    public const string Name = "seeded server";
}
