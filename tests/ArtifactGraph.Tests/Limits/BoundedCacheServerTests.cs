using System.Net;
using System.Net.Http.Headers;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.Http;
using ArtifactGraph.Tests.Promotion;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Limits;

/// <summary>The caches behind the real server's HTTP endpoint, flooded with one-off tokens and documents.</summary>
public sealed class BoundedCacheServerTests
{
    [Fact]
    public async Task Flood_of_unknown_tokens_and_one_off_documents_over_http_keeps_the_admin_token_and_the_hot_document()
    {
        await using var server = await PromotionServer.StartAsync(DatabaseClient.Sqlite);
        var tokens = ((DbTokenAuthenticator)server.Services.GetRequiredService<ITokenAuthenticator>()).Cache;
        var documents = server.Services.GetRequiredService<GraphQLExecutionService>().Documents;
        using var admin = server.Admin();
        using var anyone = server.CreateClient();
        var hits = documents.Hits;

        const int flood = DocumentCache.Capacity + 100;
        for (var i = 0; i < flood; i++)
        {
            using var bogus = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = TransportFactory.Json("""{"query":"{ __typename }"}""") };
            bogus.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"bogus-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.SendAsync(bogus)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/graphql", TransportFactory.Json($$"""{"query":"{ one_off_{{i}} }"}"""))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/graphql", TransportFactory.Json("""{"query":"{ hot: __typename }"}"""))).StatusCode);
        }

        // Only the hot document was ever sent twice: all its sends but the first were answered with the kept parse.
        Assert.Equal(flood - 1, documents.Hits - hits);
        Assert.InRange(documents.Count, 1, DocumentCache.Capacity);
        Assert.Equal(1, tokens.KnownCount);
        Assert.InRange(tokens.UnknownCount, 1, flood);
        Assert.NotNull(tokens.KnownUser(PromotionServer.AdminToken));
    }
}
