using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// The introspection Banana Cake Pop sends (its probes, then the full query it builds from them, kept in
/// Fixtures/bcp-introspection.graphql) against the generated schemas, and <c>?sdl</c>.
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class IntrospectionTests(SeededServer server)
{
    [Theory]
    [InlineData("__Directive", "isRepeatable")]
    [InlineData("__InputValue", "isDeprecated")]
    [InlineData("__InputValue", "deprecationReason")]
    public async Task Probe_introspectionTypeField_listed(string type, string field)
    {
        using var result = await PostAsync("/graphql", $$"""query IntrospectionQuery { __type(name: "{{type}}") { name fields { name } } }""");
        var fields = result.RootElement.GetProperty("data").GetProperty("__type").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString());
        Assert.Contains(field, fields);
    }

    /// <summary>
    /// Every type, field, argument, input field and enum value a caller can see is described, so Banana Cake Pop's
    /// documentation has no blanks. Left out: GraphQL.NET's own introspection types (<c>__Schema</c>…), which are the
    /// GraphQL specification's and not part of this API.
    /// </summary>
    [Theory]
    [InlineData("/graphql", SeededServer.AdminToken)]
    [InlineData("/graphql/system", SeededServer.AdminToken)]
    [InlineData("/graphql", null)]
    [InlineData("/graphql/system", null)]
    public async Task FullIntrospection_everythingDescribed(string path, string? token)
    {
        var query = await File.ReadAllTextAsync(SharedPaths.Fixture("bcp-introspection.graphql"));
        using var result = await PostAsync(path, query, token);
        Assert.False(result.RootElement.TryGetProperty("errors", out var errors), errors.ToString());

        var undescribed = new List<string>();
        foreach (var type in result.RootElement.GetProperty("data").GetProperty("__schema").GetProperty("types").EnumerateArray())
        {
            var name = type.GetProperty("name").GetString()!;
            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            Check(type, $"type {name}");
            foreach (var field in Items(type, "fields"))
            {
                Check(field, $"field {name}.{field.GetProperty("name")}");
                foreach (var arg in Items(field, "args"))
                {
                    Check(arg, $"argument {name}.{field.GetProperty("name")}({arg.GetProperty("name")})");
                }
            }

            foreach (var input in Items(type, "inputFields"))
            {
                Check(input, $"input field {name}.{input.GetProperty("name")}");
            }

            foreach (var value in Items(type, "enumValues"))
            {
                Check(value, $"enum value {name}.{value.GetProperty("name")}");
            }
        }

        Assert.True(undescribed.Count == 0, "Undescribed:\n" + string.Join("\n", undescribed));

        void Check(JsonElement element, string what)
        {
            if (element.GetProperty("description").ValueKind != JsonValueKind.String || element.GetProperty("description").GetString()!.Length == 0)
            {
                undescribed.Add(what);
            }
        }
    }

    [Theory]
    [InlineData("/graphql?sdl", "schema.graphql")]
    [InlineData("/graphql/system?sdl", "system.graphql")]
    public async Task Sdl_admin_theSnapshotText(string path, string snapshot)
    {
        using var response = await server.Client().GetAsync(path);
        var expected = (await File.ReadAllTextAsync(Path.Combine(SharedPaths.RepositoryRoot, "schema", snapshot))).TrimStart('\uFEFF');

        Assert.Equal((HttpStatusCode.OK, "text/plain"), (response.StatusCode, response.Content.Headers.ContentType!.MediaType));
        Assert.Equal(expected.Trim(), (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Sdl_public_whatThePublicRoleSees()
        => Assert.Contains("_empty: Void", await server.Client(token: null).GetStringAsync("/graphql?sdl"));

    [Fact]
    public async Task Sdl_unknownToken_401Json()
    {
        using var response = await server.Client("nope").GetAsync("/graphql?sdl");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("INVALID_CREDENTIALS", await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string property)
        => element.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    private async Task<JsonDocument> PostAsync(string path, string query, string? token = SeededServer.AdminToken)
    {
        using var response = await server.Client(token).PostAsJsonAsync(path, new { query, operationName = "IntrospectionQuery" });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
