using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Http;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Which requests <see cref="GraphQLExecutionService"/> answers through the direct read path: a plain read once its
/// document passed validation, never before, never with <c>GRAPHQL_DIRECT_READS=false</c>; an operation the planner
/// refuses whatever its variables is not planned again, one refused for a value is; a read that fails in the database
/// is answered with the engine's error for it and not run a second time through the engine.
/// </summary>
public sealed class DirectReadRoutingTests
{
    private const string Versions = """{ artifact_versions(sort: ["id"]) { id status files { sort directus_files_id { id } } primary_file_id { id } } }""";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_plain_read_is_answered_directly_from_its_second_request_on_with_the_engine_bytes(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var service = h.ExecutionService(h.Database.Settings);

        var first = await RunAsync(service, h, Versions);
        var second = await RunAsync(service, h, Versions);

        Assert.Null(first.Body);
        Assert.NotNull(first.Result);
        using var body = Assert.IsType<Microsoft.IO.RecyclableMemoryStream>(second.Body);
        Assert.Equal(GraphQLResponseWriter.Render([], first.Result), body.ToArray());
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task With_direct_reads_off_every_request_runs_through_the_engine(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var service = h.ExecutionService(h.Database.Settings with { GraphQLDirectReads = false });

        for (var i = 0; i < 3; i++)
        {
            var outcome = await RunAsync(service, h, Versions);
            Assert.Null(outcome.Body);
            Assert.Null(outcome.Result!.Errors);
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task An_operation_refused_whatever_its_variables_is_not_planned_again_one_refused_for_a_value_is(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var service = h.ExecutionService(h.Database.Settings);
        var schema = h.Schemas.GetSchema(GraphQLScope.Items, EngineHarness.Admin);

        const string aggregate = "{ artifact_versions_aggregated { count { id } } }";
        await RunAsync(service, h, aggregate);
        Assert.Null((await RunAsync(service, h, aggregate)).Body);
        Assert.False(MayReadDirectly(service, schema, aggregate));

        // An unknown key: the engine answers FORBIDDEN, and the next request with a real key is answered directly.
        const string byId = "query($id: ID!) { artifact_versions_by_id(id: $id) { id status } }";
        var missing = """{ "id": "00000000-0000-4000-8000-000000000000" }""";
        await RunAsync(service, h, byId, missing);
        var forbidden = await RunAsync(service, h, byId, missing);
        Assert.Null(forbidden.Body);
        var shaped = forbidden.Result!.Errors!.Select(e => ArtifactGraph.Server.Errors.ExecutionErrorShaper.Shape(e, EngineHarness.Admin)).ToList();
        Assert.Contains("FORBIDDEN", System.Text.Encoding.UTF8.GetString(GraphQLResponseWriter.Render(shaped, forbidden.Result)));
        Assert.True(MayReadDirectly(service, schema, byId));

        using var ids = JsonDocument.Parse(await h.ExecuteDirectusJsonAsync("""{ artifact_versions(limit: 1) { id } }"""));
        var id = ids.RootElement.GetProperty("data").GetProperty("artifact_versions")[0].GetProperty("id").GetString();
        var found = await RunAsync(service, h, byId, $$"""{ "id": "{{id}}" }""");
        using var body = Assert.IsType<Microsoft.IO.RecyclableMemoryStream>(found.Body);
        Assert.Contains(id!, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_database_failure_on_the_direct_path_runs_its_statement_once_and_answers_the_engines_error(DatabaseClient client)
    {
        const string projects = """{ projects(sort: ["id"]) { id name } }""";
        await using var h = await EngineHarness.WithSeedAsync(client);
        var service = h.ExecutionService(h.Database.Settings);
        var engine = h.ExecutionService(h.Database.Settings with { GraphQLDirectReads = false });
        await RunAsync(service, h, projects);
        using (var answered = (await RunAsync(service, h, projects)).Body)
        {
            Assert.NotNull(answered);
        }

        await h.Database.ExecuteAsync("ALTER TABLE projects RENAME TO projects_gone");
        h.Statements.Reset();
        var failed = await RunAsync(service, h, projects);
        var statements = h.Statements.Count;
        var expected = await RunAsync(engine, h, projects);

        Assert.Equal(1, statements);
        Assert.Null(failed.Body);
        Assert.Equal(Render(expected), Render(failed));
        Assert.Contains("\"code\":\"INTERNAL_SERVER_ERROR\"", Render(failed), StringComparison.Ordinal);
        Assert.Contains("\"path\":[\"projects\"]", Render(failed), StringComparison.Ordinal);
    }

    private static string Render(GraphQLOutcome outcome)
    {
        var errors = outcome.Result!.Errors!.Select(e => ArtifactGraph.Server.Errors.ExecutionErrorShaper.Shape(e, EngineHarness.Admin)).ToList();
        return System.Text.Encoding.UTF8.GetString(GraphQLResponseWriter.Render(errors, outcome.Result));
    }

    private static bool MayReadDirectly(GraphQLExecutionService service, global::GraphQL.Types.ISchema schema, string query)
    {
        var entry = service.Documents.GetOrParse(query, () => throw new InvalidOperationException("not cached"));
        var operation = entry.Document.Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().Single();
        return entry.MayReadDirectly(schema, introspection: true, operation);
    }

    private static Task<GraphQLOutcome> RunAsync(GraphQLExecutionService service, EngineHarness h, string query, string? variables = null)
        => service.ExecuteAsync(
            new GraphQLRequest(query, variables is null ? null : JsonDocument.Parse(variables).RootElement, null),
            GraphQLScope.Items, EngineHarness.Admin, viaGet: false, h.Services, ifMatch: null, CancellationToken.None);
}
