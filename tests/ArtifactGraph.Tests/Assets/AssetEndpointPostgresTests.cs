using System.Net;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Assets;

/// <summary>The database-dependent part of <c>/assets</c> (the row read through the caller's permissions) over PostgreSQL.</summary>
public sealed class AssetEndpointPostgresTests
{
    [Fact]
    public async Task Get_overPostgres_bytesRangeAndPermissionFilter()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportSeedAsync();
        await database.ImportAsync(SharedPaths.Fixture("assets-viewer.json"));
        await using var server = await ServerProcess.StartAsync(database, null);
        using var admin = Client(server.BaseUrl, ServerFixture.AdminToken);
        using var viewer = Client(server.BaseUrl, AssetsServer.ViewerToken);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(SharedPaths.Uploads, "cccccccc-0000-4000-8000-000000000003.png"));

        using var whole = await admin.GetAsync("/assets/cccccccc-0000-4000-8000-000000000003");
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, "/assets/cccccccc-0000-4000-8000-000000000003");
        rangeRequest.Headers.TryAddWithoutValidation("Range", "bytes=-10");
        using var range = await admin.SendAsync(rangeRequest);
        using var allowed = await viewer.GetAsync("/assets/cccccccc-0000-4000-8000-000000000001");
        using var denied = await viewer.GetAsync("/assets/cccccccc-0000-4000-8000-000000000003");
        using var withoutBytes = await admin.GetAsync("/assets/dddddddd-0000-4000-8000-000000000001");

        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(bytes[^10..], await range.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withoutBytes.StatusCode);
    }

    private static HttpClient Client(string baseUrl, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
