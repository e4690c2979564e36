using System.Net;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.GraphQL;
using GraphQL.Types;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Http;

public sealed class PipelineFailureTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    private sealed class BrokenSchemaProvider : IDirectusSchemaProvider
    {
        public ISchema GetSchema(GraphQLScope scope, Accountability accountability)
            => throw new InvalidOperationException("connection string Password=secret");
    }

    [Fact]
    public async Task UnexpectedException_outsideExecution_json500AndServerKeepsServing()
    {
        var broken = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IDirectusSchemaProvider, BrokenSchemaProvider>()));
        var client = broken.CreateClient();
        var (status, body) = await client.PostAsync("{ hello }");
        Assert.Equal((HttpStatusCode.InternalServerError,
            """{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"""), (status, body));
        Assert.Equal("pong", await client.GetStringAsync("/server/ping"));
    }
}
