using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Http;
using ArtifactGraph.Tests.Promotion;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Activity;

/// <summary>activity and revisions on /graphql/system: Directus's read fields, relations included, and no mutations.</summary>
public sealed class ActivityQueryTests
{
    /// <summary>The README's query: who promoted which version of a path, when, and what the project's context became.</summary>
    public const string WhoPromoted = """
        query WhoPromoted {
          promotions: revisions(
            filter: { collection: { _eq: "projects" }, parent: { collection: { _eq: "artifact_versions" }, data: { _json: { schema_key: { _eq: "spec/requirements" } } } } }
            sort: ["-id"]
          ) {
            id
            item
            delta
            parent { item data activity { timestamp user { email } } }
          }
        }
        """;

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task SystemFields_afterAPromotion_answerWhoPromotedWhatAndWhen(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);
        Assert.Null((await server.PromoteAsync(RequirementsV3)).Code);

        var answer = await PostAsync(server, WhoPromoted);
        Assert.True(answer["errors"] is null, answer.ToJsonString());
        var promotion = Assert.Single(answer["data"]!["promotions"]!.AsArray())!;
        Assert.Equal(Apollo.ToString("D"), (string?)promotion["item"]);
        Assert.Equal(4, (int?)promotion["delta"]!["context_version"]);
        Assert.Equal(RequirementsV3, (string?)promotion["parent"]!["item"]);
        Assert.Equal(3, (int?)promotion["parent"]!["data"]!["version"]);
        Assert.Equal("admin@example.com", (string?)promotion["parent"]!["activity"]!["user"]!["email"]);
        Assert.NotNull((string?)promotion["parent"]!["activity"]!["timestamp"]);

        var counts = await PostAsync(server, """
            {
              activity_aggregated(groupBy: ["action"]) { group countAll }
              revisions_aggregated { countAll }
              activity(filter: { collection: { _eq: "artifact_approvals" } }) { id action item revisions { collection parent { collection } } }
            }
            """);
        Assert.True(counts["errors"] is null, counts.ToJsonString());
        Assert.Equal("""[{"group":{"action":"create"},"countAll":1},{"group":{"action":"update"},"countAll":3}]""",
            counts["data"]!["activity_aggregated"]!.ToJsonString());
        Assert.Equal(4, (int?)counts["data"]!["revisions_aggregated"]![0]!["countAll"]);
        var approval = Assert.Single(counts["data"]!["activity"]!.AsArray())!;
        Assert.Equal("""[{"collection":"artifact_approvals","parent":{"collection":"artifact_versions"}}]""", approval["revisions"]!.ToJsonString());

        var id = (string)approval["id"]!;
        var byId = await PostAsync(server, $$"""{ activity_by_id(id: "{{id}}") { action collection } revisions_by_id(id: "1") { activity { id } } }""");
        Assert.Equal("""{"action":"create","collection":"artifact_approvals"}""", byId["data"]!["activity_by_id"]!.ToJsonString());
        Assert.NotNull(byId["data"]!["revisions_by_id"]!["activity"]);
    }

    [Theory]
    [InlineData("mutation { create_activity_item(data: { action: \"create\", collection: \"tasks\", item: \"1\" }) { id } }")]
    [InlineData("mutation { delete_revisions_items(ids: [\"1\"]) { ids } }")]
    public async Task Activity_isReadOnly_overGraphQL(string mutation)
    {
        await using var server = await PromotionServer.StartAsync(DatabaseClient.Sqlite);

        var answer = await PostAsync(server, mutation);

        Assert.Equal("GRAPHQL_VALIDATION", (string?)answer["errors"]![0]!["extensions"]!["code"]);
    }

    private static async Task<JsonNode> PostAsync(PromotionServer server, string query, JsonObject? variables = null)
    {
        using var http = server.Admin();
        var body = new JsonObject { ["query"] = query, ["variables"] = variables ?? new JsonObject() };
        using var response = await http.PostAsync("/graphql/system", TransportFactory.Json(body.ToJsonString()));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
