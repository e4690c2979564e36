using System.Net;
using System.Text.Json.Nodes;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// n8n's GraphQL node against the server: exactly the requests it sends (JSON with <c>operationName: null</c> and
/// Custom Auth keys, Raw, GET with an ignored body; Header, Bearer and Query auth) and the way it reads answers (a
/// failed request must carry a top-level <c>errors</c> array in a JSON body; an invalid token must be a 401, the only
/// status n8n's OAuth2 refresh reacts to). Then one workflow against the seed, one n8n request per step.
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class N8nClientTests(TransportFactory factory, SeededServer server) : IClassFixture<TransportFactory>
{
    private const string Admin = FakeTokenAuthenticator.AdminToken;

    [Fact]
    public async Task JsonFormat_nullOperationNameEmptyVariables_item()
    {
        var outcome = await Bearer().RunNodeAsync(N8nRequests.Json("/graphql", "{ hello }"));
        Assert.Equal((HttpStatusCode.OK, "world"), (outcome.Status, outcome.Data["hello"]!.GetValue<string>()));
    }

    [Fact]
    public async Task JsonFormat_variablesAndOperationName_item()
    {
        var outcome = await Bearer().RunNodeAsync(N8nRequests.Json("/graphql", "query A { hello } query B($t: String) { echo(text: $t) }",
            new JsonObject { ["t"] = "from n8n" }, "B"));
        Assert.Equal("from n8n", outcome.Data["echo"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomAuth_extraBodyKeysQueryStringAndHeaders_ignored()
    {
        var request = N8nRequests.Json("/graphql?tenant=acme&debug", "{ whoami }",
                customAuthBody: new Dictionary<string, JsonNode?> { ["apiKey"] = "k", ["client"] = new JsonObject { ["id"] = 1 } })
            .WithHeader("Authorization", "Bearer " + Admin)
            .WithHeader("X-Tenant", "acme");
        var outcome = await factory.CreateClient().RunNodeAsync(request);
        Assert.Equal("admin", outcome.Data["whoami"]!.GetValue<string>());
    }

    [Fact]
    public async Task RawFormat_graphqlBody_item()
    {
        var outcome = await Bearer().RunNodeAsync(N8nRequests.Raw("/graphql", "{ hello }"));
        Assert.Equal("world", outcome.Data["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetMethod_queryFromUrlJsonBodyIgnored_item()
    {
        var outcome = await Bearer().RunNodeAsync(N8nRequests.Get("/graphql", "{ echo(text: \"url\") }"));
        Assert.Equal("url", outcome.Data["echo"]!.GetValue<string>());
    }

    [Fact]
    public async Task HeaderAuth_authorizationHeader_admin()
    {
        var outcome = await factory.CreateClient().RunNodeAsync(N8nRequests.Json("/graphql", "{ whoami }").WithHeader("Authorization", "Bearer " + Admin));
        Assert.Equal("admin", outcome.Data["whoami"]!.GetValue<string>());
    }

    [Fact]
    public async Task QueryAuth_accessTokenOnPostAndGet_admin()
    {
        var client = factory.CreateClient();
        var post = await client.RunNodeAsync(N8nRequests.Json("/graphql?access_token=" + Admin, "{ whoami }"));
        var get = await client.RunNodeAsync(N8nRequests.Get("/graphql?access_token=" + Admin, "{ whoami }"));
        Assert.Equal(("admin", "admin"), (post.Data["whoami"]!.GetValue<string>(), get.Data["whoami"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("Bearer expired-or-revoked")]
    [InlineData("bearer nope")]
    public async Task InvalidToken_401WithErrors_oauth2RefreshWouldRun(string authorization)
    {
        var outcome = await factory.CreateClient().RunNodeAsync(N8nRequests.Json("/graphql", "{ hello }").WithHeader("Authorization", authorization));
        Assert.Equal((HttpStatusCode.Unauthorized, "Invalid user credentials."), (outcome.Status, outcome.Failure));
    }

    /// <summary>Every way a request can fail reaches n8n as a JSON body whose <c>errors</c> fail the node, in both response formats.</summary>
    [Theory]
    [InlineData("validation", HttpStatusCode.BadRequest, "GraphQL validation error.")]
    [InlineData("field", HttpStatusCode.OK, "You don't have permission to access this.")]
    [InlineData("syntax", HttpStatusCode.BadRequest, "GraphQL validation error.")]
    [InlineData("bad json", HttpStatusCode.BadRequest, "Invalid payload. Unexpected end of JSON input.")]
    [InlineData("mutation over get", HttpStatusCode.MethodNotAllowed, "Invalid method \"GET\" used. Should be one of \"POST\".")]
    [InlineData("form body", HttpStatusCode.UnsupportedMediaType, "Unsupported media type \"application/x-www-form-urlencoded\" in Content-Type header.")]
    [InlineData("wrong url", HttpStatusCode.NotFound, "Route /graphq doesn't exist.")]
    [InlineData("crash", HttpStatusCode.OK, "An unexpected error occurred.")]
    public async Task FailedRequest_jsonBodyWithTopLevelErrors_nodeFails(string failure, HttpStatusCode status, string message)
    {
        var request = failure switch
        {
            "validation" => N8nRequests.Json("/graphql", "{ nope }"),
            "field" => N8nRequests.Json("/graphql", "{ hello fail }"),
            "syntax" => N8nRequests.Raw("/graphql", "{ hello"),
            "bad json" => N8nRequests.Json("/graphql", "{ hello }").WithBody("""{"query": """, "application/json"),
            "mutation over get" => N8nRequests.Get("/graphql", "mutation { touch }"),
            "form body" => N8nRequests.Json("/graphql", "{ hello }").WithBody("query=%7B%20hello%20%7D", "application/x-www-form-urlencoded"),
            "wrong url" => N8nRequests.Json("/graphq", "{ hello }"),
            _ => N8nRequests.Json("/graphql", "{ crash }"),
        };

        var outcome = await Bearer().RunNodeAsync(request);

        Assert.Equal((status, message), (outcome.Status, outcome.Failure));
        Assert.True(outcome.FailsInStringFormat, outcome.Body);
    }

    /// <summary>
    /// A workflow as n8n runs it against the seed, each node one request in JSON format with variables: create an
    /// artifact version, attach a file and its project, link it to a task, promote it with If-Match, and retry the
    /// promotion (a timeout retry), which changes nothing and says so.
    /// </summary>
    [Fact]
    public async Task Workflow_createLinkPromoteRetry_seedData()
    {
        const string borealis = "22222222-2222-4222-8222-222222222222";
        const string task = "aaaaaaaa-0000-4000-8000-000000000004";
        const string file = "cccccccc-0000-4000-8000-000000000008";
        var schemaKey = $"reports/n8n-{Guid.NewGuid():N}";
        var client = server.Client();

        var created = (await client.RunNodeAsync(N8nRequests.Json("/graphql",
            "mutation ($data: create_artifact_versions_input!) { create_artifact_versions_item(data: $data) { id status } }",
            new JsonObject { ["data"] = new JsonObject { ["schema_key"] = schemaKey, ["version"] = 1, ["status"] = "draft", ["content"] = new JsonObject { ["total"] = 42 } } })))
            .Data["create_artifact_versions_item"]!;
        var version = created["id"]!.GetValue<string>();
        Assert.Equal("draft", created["status"]!.GetValue<string>());

        var linked = (await client.RunNodeAsync(N8nRequests.Json("/graphql",
            "mutation ($id: ID!, $data: update_artifact_versions_input!) { update_artifact_versions_item(id: $id, data: $data) { project_id { id context_version } files { sort directus_files_id { id } } } }",
            new JsonObject
            {
                ["id"] = version,
                ["data"] = new JsonObject
                {
                    ["project_id"] = new JsonObject { ["id"] = borealis },
                    ["files"] = new JsonArray(new JsonObject { ["sort"] = 1, ["directus_files_id"] = new JsonObject { ["id"] = file } }),
                },
            }))).Data["update_artifact_versions_item"]!;
        Assert.Equal(file, linked["files"]![0]!["directus_files_id"]!["id"]!.GetValue<string>());
        var contextVersion = linked["project_id"]!["context_version"]!.GetValue<int>();

        var link = (await client.RunNodeAsync(N8nRequests.Json("/graphql",
            "mutation ($data: create_task_artifacts_input!) { create_task_artifacts_item(data: $data) { task_id { title } artifact_version_id { id } } }",
            new JsonObject { ["data"] = new JsonObject { ["task_id"] = new JsonObject { ["id"] = task }, ["artifact_version_id"] = new JsonObject { ["id"] = version } } })))
            .Data["create_task_artifacts_item"]!;
        Assert.Equal(("Collect requirements", version), (link["task_id"]!["title"]!.GetValue<string>(), link["artifact_version_id"]!["id"]!.GetValue<string>()));

        const string promote = "mutation ($id: ID!) { promoteArtifact(id: $id) { replayed artifact_version { status } project { context context_version } } }";
        var promoted = (await client.RunNodeAsync(N8nRequests.Json("/graphql", promote, new JsonObject { ["id"] = version })
            .WithHeader("If-Match", $"\"{contextVersion}\""))).Data["promoteArtifact"]!;
        Assert.False(promoted["replayed"]!.GetValue<bool>());
        Assert.Equal(("approved", contextVersion + 1), (promoted["artifact_version"]!["status"]!.GetValue<string>(), promoted["project"]!["context_version"]!.GetValue<int>()));
        Assert.Equal(42, promoted["project"]!["context"]!["reports"]![schemaKey["reports/".Length..]]!["total"]!.GetValue<int>());

        // n8n retries the node after a timeout with the same request, If-Match included: the context has moved on, yet the replay is safe.
        var retried = (await client.RunNodeAsync(N8nRequests.Json("/graphql", promote, new JsonObject { ["id"] = version })
            .WithHeader("If-Match", $"\"{contextVersion}\""))).Data["promoteArtifact"]!;
        Assert.True(retried["replayed"]!.GetValue<bool>());
        Assert.Equal(contextVersion + 1, retried["project"]!["context_version"]!.GetValue<int>());
    }

    private HttpClient Bearer()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Admin);
        return client;
    }
}
