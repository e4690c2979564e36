using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Subscriptions;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// The <c>Subscription</c> root Directus declares (<c>&lt;c&gt;_mutated(event)</c>): over WebSocket each committed write of
/// the collection is an event (see <see cref="MutatedEventStream"/>); over HTTP a subscription yields none.
/// </summary>
public static class SubscriptionFields
{
    public static ObjectGraphType Build(TypeRegistry r, IEnumerable<CollectionModel> collections, ItemReader reader)
    {
        var subscription = new ObjectGraphType { Name = "Subscription" };
        foreach (var c in collections)
        {
            var payload = r.GetOrAdd($"{c.Name}_mutated", () => new ObjectGraphType(), t =>
            {
                t.Description = $"A change to a {c.Name} item.";
                t.AddField(ObjectTypes.Field("key", TypeRegistry.NonNull(r.Id), "The changed item's key.", ctx => ((MutatedEvent)ctx.Source!).Key));
                t.AddField(ObjectTypes.Field("event", r.EventEnum, "What happened.", ctx => ((MutatedEvent)ctx.Source!).Event));
                t.AddField(ObjectTypes.Field("data", r.Object(c, reader), "The item after the change (null for a delete).", ctx => ((MutatedEvent)ctx.Source!).Data));
            });
            subscription.AddField(new FieldType
            {
                Name = $"{c.Name}_mutated",
                Description = $"Changes to {c.Name}, delivered over WebSocket (graphql-transport-ws) after each write commits.",
                ResolvedType = payload,
                Arguments = new QueryArguments(ReadArguments.Arg("event", r.EventEnum, "Only this kind of change.")),
                StreamResolver = new SourceStreamResolver<object?>(ctx => ctx.UserContext is GraphQLUserContext { Subscribable: true } user
                    ? MutatedEventStream.For(ctx, c, user, reader)
                    : NoEvents.Instance),
            });
        }

        return subscription;
    }
}

/// <summary>An event stream that completes at once.</summary>
internal sealed class NoEvents : IObservable<object?>
{
    public static readonly NoEvents Instance = new();

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        observer.OnCompleted();
        return new Unsubscriber();
    }

    private sealed class Unsubscriber : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
