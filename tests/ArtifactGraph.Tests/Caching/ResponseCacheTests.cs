using System.Net;
using System.Net.Http.Json;
using System.Text;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Caching;

/// <summary>The data cache with Directus's defaults beside it on: kept for CACHE_TTL, no purge on writes.</summary>
public sealed class CachedServer() : ServerFixture(
    new Dictionary<string, string> { ["CACHE_ENABLED"] = "true", ["CACHE_STATUS_HEADER"] = "X-Cache-Status" }, "editor-role.json");

/// <summary>The data cache purged by every write, and skipped by <c>Cache-Control: no-store</c>.</summary>
public sealed class PurgingCachedServer() : ServerFixture(
    new Dictionary<string, string>
    {
        ["CACHE_ENABLED"] = "true", ["CACHE_STATUS_HEADER"] = "X-Cache-Status", ["CACHE_AUTO_PURGE"] = "true", ["CACHE_SKIP_ALLOWED"] = "true",
    },
    "editor-role.json");

/// <summary>
/// Directus's data cache (<c>CACHE_ENABLED</c>) over HTTP, as the real Directus 12.4.1 answered the same requests: a
/// read's answer served again to the same user (REST by its parsed query, GraphQL by query, variables and operation name,
/// GET and POST alike) with <c>Cache-Control: private, max-age=…</c>; mutations and answers with errors never kept; stale
/// until the TTL without <c>CACHE_AUTO_PURGE</c>, purged by every write with it.
/// </summary>
public sealed class ResponseCacheTests(CachedServer server) : IClassFixture<CachedServer>
{
    private const string Apollo = "11111111-1111-4111-8111-111111111111";

    [Fact]
    public async Task RestRead_missThenHit_sameBody_privateMaxAge_paramOrderShared()
    {
        using var client = server.Client();

        var first = await GetAsync(client, "/items/tasks?fields=id,title&limit=2");
        var second = await GetAsync(client, "/items/tasks?fields=id,title&limit=2");
        var reordered = await GetAsync(client, "/items/tasks?limit=2&fields=id,title");

        Assert.Equal(("MISS", "HIT", "HIT"), (first.Status, second.Status, reordered.Status));
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Body, reordered.Body);
        Assert.Equal("private, max-age=300", first.CacheControl);
        Assert.Matches(@"^private, max-age=(29\d|300)$", second.CacheControl);
        Assert.Equal("Origin, Cache-Control", second.Vary);
        Assert.StartsWith("application/json", second.ContentType);

        // A hit carries the answer's ETag and honours If-None-Match.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/tasks?fields=id,title&limit=2");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.ETag);
        using var revalidated = await client.SendAsync(request);
        Assert.Equal((first.ETag, second.ETag), (second.ETag, revalidated.Headers.ETag?.ToString()));
        Assert.Equal((HttpStatusCode.NotModified, "HIT"), (revalidated.StatusCode, revalidated.Headers.GetValues("X-Cache-Status").Single()));
    }

    [Fact]
    public async Task GraphQLQuery_postThenGet_shareTheAnswer_otherTextIsAnotherEntry()
    {
        using var client = server.Client();
        const string query = "{ projects(sort: [\"name\"]) { id name } }";

        var posted = await PostAsync(client, "/graphql", query);
        var got = await GetAsync(client, "/graphql?query=" + Uri.EscapeDataString(query));
        var spaced = await PostAsync(client, "/graphql", query.Replace("{ id", "{  id", StringComparison.Ordinal));

        Assert.Equal(("MISS", "HIT", "MISS"), (posted.Status, got.Status, spaced.Status));
        Assert.Equal(posted.Body, got.Body);
        Assert.Contains("Apollo", posted.Body);
        Assert.Equal("private, max-age=300", posted.CacheControl);
    }

    [Fact]
    public async Task Mutation_neverKept_runsEachTime_noCache()
    {
        using var client = server.Client();
        const string mutation = """mutation { create_tasks_item(data: { title: "cached?" }) { title } }""";

        var first = await PostAsync(client, "/graphql", mutation);
        var second = await PostAsync(client, "/graphql", mutation);
        var count = await PostAsync(client, "/graphql", """{ tasks_aggregated(filter: { title: { _eq: "cached?" } }) { count { id } } }""");

        Assert.Equal("""{"data":{"create_tasks_item":{"title":"cached?"}}}""", second.Body);
        Assert.Equal(("MISS", "MISS"), (first.Status, second.Status));
        Assert.Equal(("no-cache", "no-cache"), (first.CacheControl, second.CacheControl));
        Assert.Equal("""{"data":{"tasks_aggregated":[{"count":{"id":2}}]}}""", count.Body);
    }

    [Fact]
    public async Task AnswerWithErrors_neverKept()
    {
        using var client = server.Client();
        const string missing = """{ projects_by_id(id: "99999999-9999-4999-8999-999999999999") { id } }""";

        var first = await PostAsync(client, "/graphql", missing);
        var second = await PostAsync(client, "/graphql", missing);

        Assert.Contains("\"errors\"", second.Body);
        Assert.Equal(("MISS", "MISS"), (first.Status, second.Status));
        Assert.Equal("no-cache", second.CacheControl);
    }

    [Fact]
    public async Task OtherUser_ownEntry_readsWithOwnPermissions()
    {
        using var admin = server.Client();
        using var editor = server.Client("editor-token");
        const string query = "{ projects { name } }";

        var asAdmin = await PostAsync(admin, "/graphql", query);
        var asEditor = await PostAsync(editor, "/graphql", query);
        var asEditorAgain = await PostAsync(editor, "/graphql", query);

        Assert.Equal(("MISS", "HIT"), (asEditor.Status, asEditorAgain.Status));
        Assert.Contains("Borealis", asAdmin.Body);
        Assert.Equal("""{"data":{"projects":[{"name":"Apollo"}]}}""", asEditorAgain.Body);
    }

    [Fact]
    public async Task WriteWithoutAutoPurge_staleUntilTtl_butAccessChangePurges()
    {
        using var client = server.Client();
        var created = await PostAsync(client, "/graphql", $$"""mutation { create_projects_item(data: { name: "Before", context_version: 0 }) { id } }""");
        var id = System.Text.Json.JsonDocument.Parse(created.Body).RootElement.GetProperty("data").GetProperty("create_projects_item").GetProperty("id").GetString();
        var path = $"/items/projects/{id}?fields=name";
        Assert.Equal("MISS", (await GetAsync(client, path)).Status);

        using (var patch = await client.PatchAsJsonAsync($"/items/projects/{id}", new { name = "After" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var stale = await GetAsync(client, path);
        await PostAsync(client, "/graphql/system", """mutation { update_roles_item(id: "0b000000-0000-4000-8000-000000000002", data: { icon: "star" }) { id } }""");
        var fresh = await GetAsync(client, path);

        Assert.Equal(("HIT", """{"data":{"name":"Before"}}"""), (stale.Status, stale.Body));
        Assert.Equal(("MISS", """{"data":{"name":"After"}}"""), (fresh.Status, fresh.Body));
    }

    [Fact]
    public async Task RefusedRead_miss_notKept()
    {
        using var anonymous = server.Client(token: null);

        var first = await GetAsync(anonymous, "/items/projects?limit=1");
        var second = await GetAsync(anonymous, "/items/projects?limit=1");

        Assert.Equal((HttpStatusCode.Forbidden, "MISS", "MISS"), (second.Code, first.Status, second.Status));
    }

    [Fact]
    public async Task Export_neverCached()
    {
        using var client = server.Client();

        var first = await GetAsync(client, "/items/tasks?fields=id&export=csv");
        var second = await GetAsync(client, "/items/tasks?fields=id&export=csv");

        Assert.Equal((HttpStatusCode.OK, "MISS", "MISS"), (second.Code, first.Status, second.Status));
    }

    internal static async Task<Answer> GetAsync(HttpClient client, string path, string? cacheControl = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cacheControl is not null)
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        using var response = await client.SendAsync(request);
        return await Answer.OfAsync(response);
    }

    internal static async Task<Answer> PostAsync(HttpClient client, string path, string query)
    {
        using var response = await client.PostAsync(path, new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"));
        return await Answer.OfAsync(response);
    }

    internal sealed record Answer(HttpStatusCode Code, string? Status, string? CacheControl, string? Vary, string? ContentType, string Body, string? ETag = null)
    {
        public static async Task<Answer> OfAsync(HttpResponseMessage response)
            => new(
                response.StatusCode,
                response.Headers.TryGetValues("X-Cache-Status", out var status) ? string.Join(",", status) : null,
                response.Headers.NonValidated.TryGetValues("Cache-Control", out var cacheControl) ? cacheControl.ToString() : null,
                response.Headers.NonValidated.TryGetValues("Vary", out var vary) ? vary.ToString() : null,
                response.Content.Headers.ContentType?.ToString(),
                await response.Content.ReadAsStringAsync(),
                response.Headers.ETag?.ToString());
    }
}

/// <summary>
/// <c>CACHE_AUTO_PURGE</c>: every committed write (a REST or GraphQL mutation, a promotion) empties the cache, so the
/// next read is fresh; the cached answers say <c>no-cache</c>. <c>CACHE_SKIP_ALLOWED</c>: <c>Cache-Control: no-store</c>
/// reads the database and answers <c>no-store</c>, and what it read is kept for the next request (as in Directus).
/// </summary>
public sealed class PurgingResponseCacheTests(PurgingCachedServer server) : IClassFixture<PurgingCachedServer>
{
    [Fact]
    public async Task Write_purgesEveryAnswer_noCacheHeader()
    {
        using var client = server.Client();
        const string projects = "/items/projects?fields=name&sort=name";
        const string versions = "/items/artifact_versions?fields=id&limit=1";
        var before = await ResponseCacheTests.GetAsync(client, projects);
        var hit = await ResponseCacheTests.GetAsync(client, projects);
        Assert.Equal("MISS", (await ResponseCacheTests.GetAsync(client, versions)).Status);

        await ResponseCacheTests.PostAsync(client, "/graphql", """mutation { create_projects_item(data: { name: "Aardvark", context_version: 0 }) { id } }""");
        var after = await ResponseCacheTests.GetAsync(client, projects);
        var unrelated = await ResponseCacheTests.GetAsync(client, versions);

        Assert.Equal(("MISS", "HIT", "no-cache"), (before.Status, hit.Status, hit.CacheControl));
        Assert.Equal(("MISS", "MISS"), (after.Status, unrelated.Status));
        Assert.StartsWith("""{"data":[{"name":"Aardvark"}""", after.Body);
    }

    [Fact]
    public async Task Promotion_purges()
    {
        using var client = server.Client();
        const string query = """{ artifact_versions_by_id(id: "bbbbbbbb-0000-4000-8000-000000000005") { status } }""";
        var draft = await ResponseCacheTests.PostAsync(client, "/graphql", query);
        Assert.Equal("HIT", (await ResponseCacheTests.PostAsync(client, "/graphql", query)).Status);

        var promoted = await ResponseCacheTests.PostAsync(client, "/graphql", """mutation { promoteArtifact(id: "bbbbbbbb-0000-4000-8000-000000000005") { replayed } }""");
        var after = await ResponseCacheTests.PostAsync(client, "/graphql", query);

        Assert.Contains("\"replayed\":false", promoted.Body);
        Assert.Contains("draft", draft.Body);
        Assert.Equal(("MISS", """{"data":{"artifact_versions_by_id":{"status":"approved"}}}"""), (after.Status, after.Body));
    }

    [Fact]
    public async Task NoStore_readsTheDatabase_answersNoStore_keepsTheAnswer()
    {
        using var client = server.Client();
        const string path = "/items/tasks?fields=id&limit=3";
        Assert.Equal("MISS", (await ResponseCacheTests.GetAsync(client, path)).Status);

        var skipped = await ResponseCacheTests.GetAsync(client, path, "no-store");
        var next = await ResponseCacheTests.GetAsync(client, path);

        Assert.Equal(("MISS", "no-store"), (skipped.Status, skipped.CacheControl));
        Assert.Equal("HIT", next.Status);
    }
}
