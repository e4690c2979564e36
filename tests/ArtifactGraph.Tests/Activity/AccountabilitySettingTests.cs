using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Activity;

/// <summary>Directus's per-collection accountability (directus_collections.accountability): all, activity, or null.</summary>
public sealed class AccountabilitySettingTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Accountability_activityOrNull_recordsActivityOnlyOrNothing(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        await live.Database.ExecuteAsync("""
            CREATE TABLE directus_collections (collection varchar(64) NOT NULL PRIMARY KEY, accountability varchar(255) DEFAULT 'all');
            INSERT INTO directus_collections (collection, accountability) VALUES ('tasks', 'activity'), ('projects', NULL), ('artifact_versions', 'all');
            """);
        var before = await ActivityRows.LastIdAsync(live.Database);

        var answer = await DirectusActivityTests.PostAsync(live, new JsonObject
        {
            ["query"] = """
                mutation {
                  update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001", data: { title: "Renamed" }) { id }
                  update_projects_item(id: "11111111-1111-4111-8111-111111111111", data: { name: "Apollo 2" }) { id }
                  update_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000003", data: { version: 30 }) { id }
                }
                """,
        });

        Assert.Null(answer["errors"]);
        var rows = await ActivityRows.AfterAsync(live.Database, before);
        Assert.Equal(["tasks", "artifact_versions"], rows["activity"]!.AsArray().Select(a => (string?)a!["collection"]));
        Assert.Equal(["artifact_versions"], rows["revisions"]!.AsArray().Select(r => (string?)r!["collection"]));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Without_directus_collections_the_ACCOUNTABILITY_setting_decides(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client, new Dictionary<string, string> { ["ACCOUNTABILITY"] = "*:none, tasks:activity, artifact_versions:all" });
        var before = await ActivityRows.LastIdAsync(live.Database);

        var answer = await DirectusActivityTests.PostAsync(live, new JsonObject
        {
            ["query"] = """
                mutation {
                  update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001", data: { title: "Renamed" }) { id }
                  update_projects_item(id: "11111111-1111-4111-8111-111111111111", data: { name: "Apollo 2" }) { id }
                  update_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000003", data: { version: 30 }) { id }
                }
                """,
        });

        Assert.Null(answer["errors"]);
        var rows = await ActivityRows.AfterAsync(live.Database, before);
        Assert.Equal(["tasks", "artifact_versions"], rows["activity"]!.AsArray().Select(a => (string?)a!["collection"]));
        Assert.Equal(["artifact_versions"], rows["revisions"]!.AsArray().Select(r => (string?)r!["collection"]));
    }
}
