using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using Microsoft.EntityFrameworkCore;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>promoteArtifact through the generated schema, on both databases.</summary>
public sealed class PromoteArtifactTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promote_draft_supersedes_approved_writes_context_and_records_approval(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var before = await ProjectAsync(harness.Database, Apollo);

        var payload = (await PromotionOutcome.RunAsync(harness, RequirementsV3, ifMatch: ApolloContextVersion)).Ok;

        Assert.True(JsonEquals($$"""
            {
              "replayed": false,
              "artifact_version": { "id": "{{RequirementsV3}}", "status": "approved", "schema_key": "spec/requirements", "version": 3 },
              "project": {
                "id": "{{Apollo}}",
                "context": {
                  "phase": "design", "owner": "alice", "tags": ["core", "alpha"],
                  "spec": { "requirements": { "title": "Requirements", "sections": ["login", "export", "audit"], "score": 5 } }
                },
                "context_version": 4
              },
              "superseded": [ { "id": "{{RequirementsV2}}", "status": "superseded" } ],
              "approval": { "context_version": 4, "artifact_version_id": { "id": "{{RequirementsV3}}" }, "project_id": { "id": "{{Apollo}}" } }
            }
            """, payload), payload.ToString());

        await using var db = harness.Database.CreateContext();
        var statuses = await db.ArtifactVersions.Where(v => v.ProjectId == Apollo && v.SchemaKey == "spec/requirements")
            .OrderBy(v => v.Version).Select(v => v.Status).ToListAsync();
        Assert.Equal(["superseded", "superseded", "approved"], statuses);
        var approval = await db.ArtifactApprovals.SingleAsync(a => a.ArtifactVersionId == Guid.Parse(RequirementsV3));
        Assert.Equal((Apollo, 4), (approval.ProjectId!.Value, approval.ContextVersion!.Value));
        var after = await db.Projects.SingleAsync(p => p.Id == Apollo);
        Assert.Equal(before.ContextVersion + 1, after.ContextVersion);
        Assert.True(after.DateUpdated > before.DateUpdated);
        Assert.InRange(approval.ApprovedAt!.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(4, await db.ArtifactApprovals.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promote_nested_schema_key_creates_objects_replaces_non_objects_and_keeps_other_keys(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        await SetContextAsync(harness.Database, Borealis, """{"a":{"x":1,"b":"text"},"keep":[1,{"deep":true}]}""");
        var id = (await AddVersionsAsync(harness.Database, Borealis, "a/b.c")).Single();

        var payload = (await PromotionOutcome.RunAsync(harness, id.ToString())).Ok;

        Assert.True(JsonEquals("""{"a":{"x":1,"b":{"c":{"n":1}}},"keep":[1,{"deep":true}]}""",
            payload.GetProperty("project").GetProperty("context")), payload.ToString());
        Assert.Equal(1, payload.GetProperty("project").GetProperty("context_version").GetInt32());
        Assert.Empty(payload.GetProperty("superseded").EnumerateArray());
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promote_stale_ifMatch_is_precondition_failed_with_current_version_and_changes_nothing(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var before = await StateAsync(harness.Database);

        var outcome = await PromotionOutcome.RunAsync(harness, RequirementsV3, ifMatch: 2);

        Assert.Null(outcome.Payload);
        Assert.Equal("PRECONDITION_FAILED", outcome.Code);
        Assert.Equal("Precondition failed: the project's context_version is 3, not 2.", outcome.Message);
        Assert.Equal(3, outcome.Extensions!.Value.GetProperty("context_version").GetInt32());
        Assert.Equal(before, await StateAsync(harness.Database));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promote_again_is_a_replay_with_the_same_payload_whatever_ifMatch_says(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var first = (await PromotionOutcome.RunAsync(harness, RequirementsV3, ifMatch: ApolloContextVersion)).Ok;
        var afterFirst = await StateAsync(harness.Database);

        var stale = (await PromotionOutcome.RunAsync(harness, RequirementsV3, ifMatch: ApolloContextVersion)).Ok;
        var without = (await PromotionOutcome.RunAsync(harness, RequirementsV3)).Ok;

        Assert.Equal(afterFirst, await StateAsync(harness.Database));
        foreach (var replay in new[] { stale, without })
        {
            Assert.True(replay.GetProperty("replayed").GetBoolean());
            Assert.Equal(WithoutReplayed(first), WithoutReplayed(replay));
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promote_seeded_approved_version_is_a_replay_without_reconstructed_predecessor(DatabaseClient client)
    {
        // design/schema v1 was rejected, never approved: no approval below v2's, so nothing is listed as superseded.
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var before = await StateAsync(harness.Database);

        var payload = (await PromotionOutcome.RunAsync(harness, SchemaV2Approved, ifMatch: 0)).Ok;

        Assert.True(payload.GetProperty("replayed").GetBoolean());
        Assert.Equal(3, payload.GetProperty("approval").GetProperty("context_version").GetInt32());
        Assert.Empty(payload.GetProperty("superseded").EnumerateArray());
        Assert.Equal(before, await StateAsync(harness.Database));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Replay_reconstructs_the_version_the_approval_superseded(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var ids = await AddVersionsAsync(harness.Database, Borealis, "notes", count: 3);
        await PromotionOutcome.RunAsync(harness, ids[0].ToString());
        await PromotionOutcome.RunAsync(harness, ids[1].ToString());
        var original = (await PromotionOutcome.RunAsync(harness, ids[2].ToString())).Ok;

        var replay = (await PromotionOutcome.RunAsync(harness, ids[2].ToString())).Ok;

        Assert.Equal($$"""[{"id":"{{ids[1]}}","status":"superseded"}]""", replay.GetProperty("superseded").GetRawText().Replace(" ", ""));
        Assert.Equal(WithoutReplayed(original), WithoutReplayed(replay));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promote_approved_version_without_approval_row_is_promoted_not_replayed(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var id = (await AddVersionsAsync(harness.Database, Borealis, "budget/approved-directly", status: "approved")).Single();

        var payload = (await PromotionOutcome.RunAsync(harness, id.ToString(), ifMatch: 0)).Ok;

        Assert.False(payload.GetProperty("replayed").GetBoolean());
        Assert.Equal(1, payload.GetProperty("approval").GetProperty("context_version").GetInt32());
        Assert.Equal(1, (await ProjectAsync(harness.Database, Borealis)).ContextVersion);
    }

    public static TheoryData<DatabaseClient, string, string> Refusals()
    {
        var cases = new (string Case, string Code)[]
        {
            ("missing", "FORBIDDEN"), ("malformed", "FORBIDDEN"), ("no schema_key", "INVALID_PAYLOAD"),
            ("no project", "INVALID_PAYLOAD"), ("rejected", "INVALID_PAYLOAD"), ("superseded", "INVALID_PAYLOAD"),
        };
        var data = new TheoryData<DatabaseClient, string, string>();
        foreach (var client in new[] { DatabaseClient.Sqlite, DatabaseClient.Postgres })
        {
            foreach (var (name, code) in cases)
            {
                data.Add(client, name, code);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Promote_refused_version_answers_error_and_changes_nothing(DatabaseClient client, string refusal, string code)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        var id = refusal switch
        {
            "missing" => Guid.NewGuid().ToString(),
            "malformed" => "not-a-uuid",
            "no schema_key" => (await AddVersionsAsync(harness.Database, Apollo, schemaKey: null)).Single().ToString(),
            "no project" => (await AddVersionsAsync(harness.Database, projectId: null, "spec/orphan")).Single().ToString(),
            "rejected" => SchemaV1Rejected,
            _ => RequirementsV1,
        };
        var before = await StateAsync(harness.Database);

        var outcome = await PromotionOutcome.RunAsync(harness, id, ifMatch: ApolloContextVersion);

        Assert.Null(outcome.Payload);
        Assert.Equal(code, outcome.Code);
        Assert.Equal(before, await StateAsync(harness.Database));
        if (refusal is "rejected" or "superseded")
        {
            Assert.Equal($"Invalid payload. Artifact version \"{id}\" is {refusal}, and history does not move backwards: to roll back, "
                + "create a new version with the old content and promote it.", outcome.Message);
        }
        else if (code == "FORBIDDEN")
        {
            Assert.Equal("You don't have permission to access this.", outcome.Message);
        }
    }

    private static string WithoutReplayed(JsonElement payload)
        => string.Join(",", payload.EnumerateObject().Where(p => p.Name != "replayed").Select(p => $"{p.Name}={p.Value.GetRawText()}"));
}
