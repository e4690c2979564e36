using System.Text;
using System.Text.Json;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>The seed's promotion facts, the promoteArtifact document, and helpers to add versions and compare database states.</summary>
internal static class Promotions
{
    public static readonly Guid Apollo = Guid.Parse("11111111-1111-4111-8111-111111111111");
    public static readonly Guid Borealis = Guid.Parse("22222222-2222-4222-8222-222222222222");

    /// <summary>spec/requirements of Apollo: v1 superseded, v2 approved (approval at context_version 2), v3 draft.</summary>
    public const string RequirementsV1 = "bbbbbbbb-0000-4000-8000-000000000001";
    public const string RequirementsV2 = "bbbbbbbb-0000-4000-8000-000000000002";
    public const string RequirementsV3 = "bbbbbbbb-0000-4000-8000-000000000003";

    /// <summary>design/schema of Apollo: v1 rejected, v2 approved (approval at context_version 3).</summary>
    public const string SchemaV1Rejected = "bbbbbbbb-0000-4000-8000-000000000006";
    public const string SchemaV2Approved = "bbbbbbbb-0000-4000-8000-000000000007";

    /// <summary>Apollo's context_version in the seed.</summary>
    public const int ApolloContextVersion = 3;

    public const string Mutation = """
        mutation Promote($id: ID!, $ifMatch: Int) {
          promoteArtifact(id: $id, ifMatch: $ifMatch) {
            replayed
            artifact_version { id status schema_key version }
            project { id context context_version }
            superseded { id status }
            approval { context_version artifact_version_id { id } project_id { id } }
          }
        }
        """;

    public static string Variables(string id, int? ifMatch = null)
        => JsonSerializer.Serialize(new { id, ifMatch });

    /// <summary>Adds <paramref name="count"/> versions of one path, content <c>{"n": i}</c>; returns their keys in order.</summary>
    public static async Task<List<Guid>> AddVersionsAsync(
        TestDatabase database, Guid? projectId, string? schemaKey, int count = 1, string status = "draft")
    {
        await using var db = database.CreateContext();
        var versions = Enumerable.Range(1, count).Select(i => new ArtifactVersion
        {
            Id = Guid.NewGuid(), ProjectId = projectId, SchemaKey = schemaKey, Version = 100 + i, Status = status,
            Content = $$"""{"n":{{i}}}""", DateCreated = DateTime.UtcNow,
        }).ToList();
        db.ArtifactVersions.AddRange(versions);
        await db.SaveChangesAsync();
        return versions.Select(v => v.Id).ToList();
    }

    public static async Task SetContextAsync(TestDatabase database, Guid projectId, string context)
    {
        await using var db = database.CreateContext();
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Context, context));
    }

    public static async Task<Project> ProjectAsync(TestDatabase database, Guid projectId)
    {
        await using var db = database.CreateContext();
        return await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId);
    }

    /// <summary>Everything a promotion may touch (projects, version statuses, approvals) as text, to compare before and after.</summary>
    public static async Task<string> StateAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var text = new StringBuilder();
        foreach (var p in await db.Projects.AsNoTracking().OrderBy(p => p.Id).ToListAsync())
        {
            text.AppendLine($"project {p.Id} v{p.ContextVersion} updated {p.DateUpdated:O} {p.Context}");
        }

        foreach (var v in await db.ArtifactVersions.AsNoTracking().OrderBy(v => v.Id).ToListAsync())
        {
            text.AppendLine($"version {v.Id} {v.Status}");
        }

        foreach (var a in await db.ArtifactApprovals.AsNoTracking().OrderBy(a => a.Id).ToListAsync())
        {
            text.AppendLine($"approval {a.Id} {a.ArtifactVersionId} {a.ProjectId} {a.ApprovedAt:O} v{a.ContextVersion}");
        }

        return text.ToString();
    }

    public static bool JsonEquals(string expected, JsonElement actual)
        => JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, actual);
}
