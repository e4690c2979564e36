using ArtifactGraph.Data;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>promoteArtifact over HTTP: the If-Match header, on both databases.</summary>
public sealed class PromoteArtifactHttpTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite, "3")]
    [InlineData(DatabaseClient.Postgres, "3")]
    [InlineData(DatabaseClient.Sqlite, "\"3\"")]
    [InlineData(DatabaseClient.Postgres, "\"3\"")]
    public async Task IfMatch_header_current_version_promotes(DatabaseClient client, string header)
    {
        await using var server = await PromotionServer.StartAsync(client);

        var outcome = await server.PromoteAsync(RequirementsV3, ifMatchHeader: header);

        Assert.Equal(4, outcome.ContextVersion);
        Assert.Equal(4, (await ProjectAsync(server.Database, Apollo)).ContextVersion);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task IfMatch_header_stale_version_is_precondition_failed(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);
        var before = await StateAsync(server.Database);

        var outcome = await server.PromoteAsync(RequirementsV3, ifMatchHeader: "\"2\"");

        Assert.Equal(("PRECONDITION_FAILED", "Precondition failed: the project's context_version is 3, not 2."), (outcome.Code, outcome.Message));
        Assert.Equal("""{"context_version":3,"code":"PRECONDITION_FAILED"}""", outcome.Extensions!.Value.GetRawText());
        Assert.Null(outcome.Payload);
        Assert.Equal(before, await StateAsync(server.Database));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite, "3", 4, "Invalid payload. The If-Match header (3) and the ifMatch argument (4) differ.")]
    [InlineData(DatabaseClient.Postgres, "3", 4, "Invalid payload. The If-Match header (3) and the ifMatch argument (4) differ.")]
    [InlineData(DatabaseClient.Sqlite, "W/\"3\"", null, "Invalid payload. The If-Match header must be the project's context_version, a whole number such as 3 or \"3\".")]
    [InlineData(DatabaseClient.Postgres, "three", 3, "Invalid payload. The If-Match header must be the project's context_version, a whole number such as 3 or \"3\".")]
    public async Task IfMatch_header_malformed_or_differing_from_argument_is_invalid_payload(
        DatabaseClient client, string header, int? argument, string message)
    {
        await using var server = await PromotionServer.StartAsync(client);
        var before = await StateAsync(server.Database);

        var outcome = await server.PromoteAsync(RequirementsV3, argument, header);

        Assert.Equal(("INVALID_PAYLOAD", message), (outcome.Code, outcome.Message));
        Assert.Equal(before, await StateAsync(server.Database));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task IfMatch_header_and_equal_argument_promotes_then_replays_with_stale_header(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);

        var first = await server.PromoteAsync(RequirementsV3, ApolloContextVersion, ApolloContextVersion.ToString());
        var retry = await server.PromoteAsync(RequirementsV3, ifMatchHeader: ApolloContextVersion.ToString());

        Assert.False(first.Ok.GetProperty("replayed").GetBoolean());
        Assert.True(retry.Ok.GetProperty("replayed").GetBoolean());
        Assert.Equal(4, retry.ContextVersion);
    }
}
