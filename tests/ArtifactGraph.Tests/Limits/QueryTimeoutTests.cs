using System.Diagnostics;
using System.Net;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.Http;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>GRAPHQL_QUERY_TIMEOUT</c> in process, with a field that waits as long as it is asked to (or until it is cancelled),
/// so that running out of time is certain: the query's token is cancelled, the answer is 503 SERVICE_UNAVAILABLE, the
/// server answers the next request, and mutations are never cut short.
/// </summary>
public sealed class QueryTimeoutTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    private const string Timeout =
        """{"errors":[{"message":"Service \"graphql\" is unavailable. Query took longer than 200ms.","extensions":{"service":"graphql","reason":"Query took longer than 200ms","code":"SERVICE_UNAVAILABLE"}}]}""";

    [Fact]
    public async Task Query_longerThanLimit_cancelled503_serverKeepsServing()
    {
        var schema = new WaitingSchema();
        await using var app = factory.With(new ServerSettings { GraphQLQueryTimeout = 200 }, s => s.AddSingleton<IDirectusSchemaProvider>(schema));
        using var client = app.CreateClient();

        var clock = Stopwatch.StartNew();
        var answer = await GraphQLAnswer.PostAsync(client, "{ hello wait }");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, Timeout), (answer.Status, answer.Text));
        Assert.InRange(clock.ElapsedMilliseconds, 200, 10_000);
        Assert.True(schema.Cancelled.Task.IsCompleted, "the resolver's token was not cancelled");

        var next = await GraphQLAnswer.PostAsync(client, "{ hello wait(ms: 10) }");
        Assert.Equal("""{"data":{"hello":"world","wait":true}}""", next.Text);
    }

    [Theory]
    [InlineData(200, "mutation { wait(ms: 600) }")]
    [InlineData(0, "{ wait(ms: 600) }")]
    public async Task MutationOrNoLimit_notCutShort(int timeout, string query)
    {
        await using var app = factory.With(new ServerSettings { GraphQLQueryTimeout = timeout }, s => s.AddSingleton<IDirectusSchemaProvider>(new WaitingSchema()));
        using var client = app.CreateClient();

        var answer = await GraphQLAnswer.PostAsync(client, query);

        Assert.Equal("""{"data":{"wait":true}}""", answer.Text);
    }

    /// <summary><c>wait(ms)</c> on Query and Mutation: waits that long, or without <c>ms</c> until its token is cancelled.</summary>
    private sealed class WaitingSchema : IDirectusSchemaProvider
    {
        private readonly Lazy<ISchema> schema;

        public WaitingSchema() => schema = new(Build);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ISchema GetSchema(GraphQLScope scope, Accountability accountability) => schema.Value;

        private ISchema Build()
        {
            var query = new ObjectGraphType { Name = "Query" };
            query.Field<StringGraphType>("hello").Resolve(_ => "world");
            AddWait(query);
            var mutation = new ObjectGraphType { Name = "Mutation" };
            AddWait(mutation);
            return new Schema { Query = query, Mutation = mutation };
        }

        private void AddWait(ObjectGraphType type)
            => type.Field<BooleanGraphType>("wait").Argument<IntGraphType>("ms").ResolveAsync(async context =>
            {
                try
                {
                    await Task.Delay(context.GetArgument<int?>("ms") ?? System.Threading.Timeout.Infinite, context.CancellationToken);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    Cancelled.TrySetResult();
                    throw;
                }
            });
    }
}
