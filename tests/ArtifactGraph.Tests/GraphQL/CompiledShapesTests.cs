using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Reads without a search go through EF Core compiled queries, one per shape (<see cref="CompiledShapes{T}"/>; filtered
/// shapes in <see cref="FilteredShapesTests"/>). They must answer exactly as the same reads built on every request
/// (<c>DB_COMPILED_QUERIES=false</c>), whatever the keys a shape is run with, and for callers who see only some rows.
/// </summary>
public sealed class CompiledShapesTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Compiled_reads_answer_as_reads_built_on_every_request(DatabaseClient client)
    {
        await using var compiled = await EngineHarness.WithSeedAsync(client);
        await using var built = new EngineHarness(compiled.Database, compiled.Database.Settings with { DbCompiledQueries = false }, ownsDatabase: false);

        foreach (var (query, scope, variables) in DirectQueryTests.Taken.Concat(await OneTaskAtATimeAsync(compiled)))
        {
            var expected = await built.ExecuteDirectusJsonAsync(query, scope, variables);
            Assert.DoesNotContain("\"errors\"", expected);

            // The first run compiles the shapes, the second reuses them; both through the engine and the direct path.
            Assert.Equal(expected, await compiled.ExecuteDirectusJsonAsync(query, scope, variables));
            Assert.Equal(expected, await compiled.ExecuteDirectusJsonAsync(query, scope, variables));
            Assert.Equal(expected, await compiled.ExecuteDirectJsonAsync(query, scope, variables));
        }

        Assert.True(ShapeCount(compiled) > 10, $"only {ShapeCount(compiled)} shapes were compiled");
        Assert.Equal(0, ShapeCount(built));
    }

    /// <summary>
    /// The editor's item filter is part of its shape (its values parameters): after the administrator compiled the same
    /// query without one, the editor still sees only Apollo's rows.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_role_with_an_item_filter_reads_only_its_rows_after_the_admin_compiled_the_shape(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await h.Database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        var editor = await h.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");
        const string query = "{ projects(sort: [\"id\"]) { name } tasks(sort: [\"id\"]) { id project_id { name } } }";

        var admin = await h.ExecuteDirectusJsonAsync(query);
        var forEditor = await h.ExecuteDirectusJsonAsync(query, who: editor);

        using var adminAnswer = JsonDocument.Parse(admin);
        using var editorAnswer = JsonDocument.Parse(forEditor);
        Assert.True(adminAnswer.RootElement.GetProperty("data").GetProperty("projects").GetArrayLength() > 1);
        Assert.Equal(1, editorAnswer.RootElement.GetProperty("data").GetProperty("projects").GetArrayLength());
        Assert.Contains("\"project_id\":null", forEditor);
        Assert.Equal(forEditor, await h.ExecuteDirectusJsonAsync(query, who: editor));
    }

    [Fact]
    public async Task Reads_with_a_search_are_not_compiled()
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(DatabaseClient.Sqlite));
        var tasks = h.Services.GetRequiredService<DirectusModel>()["tasks"];
        var filtered = new AccessRules(false, new Dictionary<(string, string), CollectionPermission>
        {
            [("tasks", "read")] = CollectionPermission.All with { ItemFilter = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["_eq"] = "x" } } },
        });

        Assert.True(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None with { Sort = ["-title"], Limit = 5 }, AccessRules.Admin));
        Assert.True(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None with { Filter = new Dictionary<string, object?>() }, AccessRules.Admin));
        Assert.False(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None with { Search = "a" }, AccessRules.Admin));
        Assert.True(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None, filtered));

        // A sort through a relation carries the related rows' item filters, which callers of one schema may not share.
        var reader = new AccessRules(false, new Dictionary<(string, string), CollectionPermission> { [("tasks", "read")] = CollectionPermission.All });
        Assert.True(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None with { Sort = ["-title"] }, reader));
        Assert.False(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None with { Sort = ["-project_id.name"] }, reader));
        Assert.True(CompiledShapes<object>.Cacheable(tasks, QueryArgs.None with { Sort = ["-project_id.name"] }, AccessRules.Admin));
    }

    /// <summary>One budget for every collection's shapes: past it, no new shape of any collection is compiled.</summary>
    [Fact]
    public void Past_the_budget_no_new_shape_is_compiled()
    {
        var budget = new ShapeBudget(ShapeBudget.DefaultCapacity);
        var tasks = new CompiledShapes<object>(budget);
        var files = new CompiledShapes<string>(budget);
        var compiles = 0;

        for (var i = 0; i < budget.Capacity; i++)
        {
            Assert.NotNull(i % 2 == 0
                ? tasks.Get($"shape {i}", () => { compiles++; return (_, _, _) => AsyncEnumerable.Empty<object>(); })
                : files.Get($"shape {i}", () => { compiles++; return (_, _, _) => AsyncEnumerable.Empty<string>(); }));
        }

        Assert.Null(tasks.Get("one more", () => { compiles++; return (_, _, _) => AsyncEnumerable.Empty<object>(); }));
        Assert.Null(files.Get("one more", () => { compiles++; return (_, _, _) => AsyncEnumerable.Empty<string>(); }));
        Assert.NotNull(tasks.Get("shape 6", () => { compiles++; return (_, _, _) => AsyncEnumerable.Empty<object>(); }));
        Assert.NotNull(files.Get("shape 7", () => { compiles++; return (_, _, _) => AsyncEnumerable.Empty<string>(); }));
        Assert.Equal(budget.Capacity, compiles);
        Assert.Equal(budget.Capacity, tasks.Count + files.Count);
    }

    private static int ShapeCount(EngineHarness h) => h.Services.GetRequiredService<ItemReader>().CompiledShapeCount;

    /// <summary>One query per task: the same compiled shapes, run with other keys each time.</summary>
    private static async Task<IEnumerable<(string, GraphQLScope, string?)>> OneTaskAtATimeAsync(EngineHarness h)
    {
        using var ids = JsonDocument.Parse(await h.ExecuteDirectusJsonAsync("{ tasks(sort: [\"id\"]) { id } }"));
        return ids.RootElement.GetProperty("data").GetProperty("tasks").EnumerateArray()
            .Select(t => ($"{{ tasks_by_id(id: \"{t.GetProperty("id").GetString()}\") {{ id artifacts {{ sort artifact_version_id {{ id status files {{ sort }} }} }} }} }}", GraphQLScope.Items, (string?)null))
            .ToList();
    }
}
