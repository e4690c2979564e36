using System.Text.Json;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Tests.GraphQL;
using GraphQL;
using GraphQL.SystemTextJson;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>What a client sees of one promoteArtifact call: the payload, or the first error in Directus's shape.</summary>
internal sealed record PromotionOutcome(JsonElement? Payload, string? Code, string? Message, JsonElement? Extensions)
{
    private static readonly GraphQLSerializer Serializer = new();

    public JsonElement Ok => Payload ?? throw new Xunit.Sdk.XunitException($"promoteArtifact failed: {Code} {Message}");

    public int ContextVersion => Ok.GetProperty("project").GetProperty("context_version").GetInt32();

    public static async Task<PromotionOutcome> RunAsync(EngineHarness harness, string id, int? ifMatch = null)
        => FromEngine(await harness.ExecuteAsync(Promotions.Mutation, variablesJson: Promotions.Variables(id, ifMatch)));

    public static PromotionOutcome FromEngine(ExecutionResult result)
    {
        var body = JsonDocument.Parse(Serializer.Serialize(result)).RootElement;
        var error = result.Errors is { Count: > 0 } errors ? ExecutionErrorShaper.Shape(errors[0], EngineHarness.Admin) : null;
        return new PromotionOutcome(
            PayloadOf(body),
            error?.Extensions.Single(e => e.Key == "code").Value as string,
            error?.Message,
            error is null ? null : JsonSerializer.SerializeToElement(error.Extensions.ToDictionary(e => e.Key, e => e.Value)));
    }

    public static PromotionOutcome FromHttp(string json)
    {
        var body = JsonDocument.Parse(json).RootElement;
        var error = body.TryGetProperty("errors", out var errors) ? errors[0] : (JsonElement?)null;
        var extensions = error?.GetProperty("extensions");
        return new PromotionOutcome(
            PayloadOf(body),
            extensions?.GetProperty("code").GetString(),
            error?.GetProperty("message").GetString(),
            extensions);
    }

    private static JsonElement? PayloadOf(JsonElement body)
        => body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.GetProperty("promoteArtifact") is { ValueKind: JsonValueKind.Object } payload
                ? payload.Clone()
                : null;
}
