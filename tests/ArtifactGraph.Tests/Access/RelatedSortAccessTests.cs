using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Access;

/// <summary>
/// A sort through a relation sees only the related rows the caller may read, as a filter does (Directus joins them under
/// the caller's permissions): the editor of <c>Fixtures/editor-role.json</c> reads every task but the projects and
/// artifact versions of Apollo only, so Borealis's rows sort as if they had no value instead of revealing theirs.
/// </summary>
public sealed class RelatedSortAccessTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Sorts_through_relations_ignore_rows_the_caller_may_not_read(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await h.Database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        var editor = await h.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");

        const string ManyToOne = """{ tasks(sort: ["-project_id.name"]) { id } }""";
        const string OneToMany = """{ tasks(sort: ["-artifacts.artifact_version_id.version"]) { id } }""";

        Assert.Equal(Tasks(6, 4, 5, 1, 2, 3), await h.ExecuteDirectusJsonAsync(ManyToOne));
        Assert.Equal(Tasks(4, 5, 6, 1, 2, 3), await h.ExecuteDirectusJsonAsync(ManyToOne, who: editor));
        Assert.Equal(Tasks(6, 1, 5, 2, 3, 4), await h.ExecuteDirectusJsonAsync(OneToMany));
        Assert.Equal(Tasks(4, 5, 6, 1, 2, 3), await h.ExecuteDirectusJsonAsync(OneToMany, who: editor));
    }

    private static string Tasks(params int[] ids)
        => "{\"data\":{\"tasks\":[" + string.Join(",", ids.Select(i => $"{{\"id\":\"aaaaaaaa-0000-4000-8000-00000000000{i}\"}}")) + "]}}";
}

