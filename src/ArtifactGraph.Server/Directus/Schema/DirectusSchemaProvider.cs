using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Telemetry;
using BitFaster.Caching.Lru;
using GraphQL;
using GraphQL.Conversion;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// Builds the Directus schema of an endpoint for what a caller may do, once per distinct set of permitted
/// collections, actions and fields, and caches it (spec §9.6): administrators see every collection; a role sees
/// only the collections, fields and mutations it may use; the public without permissions sees
/// <c>Query { _empty: Void }</c>, as Directus's default public policy. At most <see cref="Capacity"/> schemas are kept,
/// the least recently used going first.
/// </summary>
public sealed class DirectusSchemaProvider(DirectusModel model, ItemReader reader, ItemWriter writer) : IDirectusSchemaProvider
{
    /// <summary>The most schemas kept (one per endpoint and distinct set of permitted collections, actions and fields).</summary>
    public const int Capacity = 1_000;

    private readonly ConcurrentLru<(GraphQLScope, string), Lazy<ISchema>> schemas = new(Capacity);

    /// <summary>Requests that found their schema built, schemas built, and schemas pushed out by others.</summary>
    public CacheCounts Counts => CacheCounts.Of(schemas.Metrics.Value);

    public ISchema GetSchema(GraphQLScope scope, Accountability accountability)
    {
        var access = accountability.Access;
        return schemas.GetOrAdd(
            (scope, access.SchemaKey),
            static (key, state) => new Lazy<ISchema>(() => state.Provider.Build(key.Item1, state.Access)),
            (Provider: this, Access: access)).Value;
    }

    private ISchema Build(GraphQLScope scope, AccessRules access)
    {
        var admin = access.IsAdmin;
        var r = new TypeRegistry(model, access);
        var query = new ObjectGraphType { Name = "Query" };
        var schema = new global::GraphQL.Types.Schema { NameConverter = DefaultNameConverter.Instance };
        IntrospectionSupport.Enable(schema);

        var collections = model.Collections.Where(c => c.IsSystem == (scope == GraphQLScope.System)).ToList();
        foreach (var c in collections.Where(r.CanRead))
        {
            r.AddQueryFields(query, c, reader, withVersions: admin && scope == GraphQLScope.Items);
        }

        var mutation = MutationFields.Build(r, collections, reader, writer);
        if (scope == GraphQLScope.Items && PromoteArtifactField.IsAvailable(r))
        {
            PromoteArtifactField.AddTo(mutation, r, reader);
        }

        if (mutation.Fields.Count > 0)
        {
            RelationalDepthGuard.Apply(mutation, reader.Options.MaxRelationalDepth);
            schema.Mutation = mutation;
        }

        if (scope == GraphQLScope.Items && (admin ? model.Collections : model.Collections.Where(r.CanRead).ToList()) is { Count: > 0 } watched)
        {
            // Every reader may subscribe to what it may read (an administrator's list is Directus's, system collections included).
            schema.Subscription = SubscriptionFields.Build(r, watched, reader);
        }

        if (scope == GraphQLScope.System)
        {
            AddSystemFields(r, query);
        }

        if (query.Fields.Count == 0)
        {
            query.AddField(ObjectTypes.Field("_empty", r.Void, "There's no data to query.", _ => null));
        }

        RelationalDepthGuard.Apply(query, reader.Options.MaxRelationalDepth);
        schema.Query = query;
        schema.Initialize();
        return schema;
    }

    private void AddSystemFields(TypeRegistry r, ObjectGraphType query)
    {
        query.AddField(ObjectTypes.Field("server_ping", r.String, "Answers pong.", _ => "pong"));
        var users = model["directus_users"];
        if (!r.CanRead(users))
        {
            return;
        }

        query.AddField(new FieldType
        {
            Name = "users_me",
            Description = "The user behind the request's token.",
            ResolvedType = r.Object(users, reader),
            Resolver = new FuncFieldResolver<object?>(async ctx =>
            {
                var who = ((GraphQLUserContext)ctx.UserContext).Accountability;
                if (who.UserId is not { } id)
                {
                    return null;
                }

                var rows = await reader.ReadWhereInAsync(users, users.PrimaryKey, [id], QueryArgs.None, null, who.Access, ctx.CancellationToken);
                return rows.FirstOrDefault();
            }),
        });
    }
}
