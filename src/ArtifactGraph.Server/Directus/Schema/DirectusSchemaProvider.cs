using System.Collections.Concurrent;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.GraphQL;
using GraphQL;
using GraphQL.Conversion;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// Builds the Directus schema of an endpoint for a kind of caller, once, and caches it: administrators see every
/// collection; the public (no token) sees <c>Query { _empty: Void }</c>, as Directus's default public policy.
/// </summary>
public sealed class DirectusSchemaProvider(DirectusModel model, ItemReader reader, ItemWriter writer) : IDirectusSchemaProvider
{
    private readonly ConcurrentDictionary<(GraphQLScope, bool), Lazy<ISchema>> schemas = new();

    public ISchema GetSchema(GraphQLScope scope, Accountability accountability)
    {
        var admin = accountability.IsAdmin;
        return schemas.GetOrAdd((scope, admin), key => new Lazy<ISchema>(() => Build(key.Item1, key.Item2))).Value;
    }

    private ISchema Build(GraphQLScope scope, bool admin)
    {
        var r = new TypeRegistry(model);
        var query = new ObjectGraphType { Name = "Query" };
        var schema = new global::GraphQL.Types.Schema { NameConverter = DefaultNameConverter.Instance };
        schema.Features.RepeatableDirectives = true;
        schema.Features.DeprecationOfInputValues = true;

        var collections = model.Collections.Where(c => c.IsSystem == (scope == GraphQLScope.System)).ToList();
        if (admin)
        {
            foreach (var c in collections)
            {
                r.AddQueryFields(query, c, reader, withVersions: scope == GraphQLScope.Items);
            }

            schema.Mutation = MutationFields.Build(r, collections, reader, writer);
            if (scope == GraphQLScope.Items)
            {
                schema.Subscription = SubscriptionFields.Build(r, model.Collections, reader);
                PromoteArtifactField.AddTo(schema.Mutation, r, reader);
            }
        }

        if (scope == GraphQLScope.System)
        {
            AddSystemFields(r, query, admin);
        }

        if (query.Fields.Count == 0)
        {
            query.AddField(ObjectTypes.Field("_empty", r.Void, "There's no data to query.", _ => null));
        }

        schema.Query = query;
        schema.Initialize();
        return schema;
    }

    private void AddSystemFields(TypeRegistry r, ObjectGraphType query, bool admin)
    {
        query.AddField(ObjectTypes.Field("server_ping", r.String, "Answers pong.", _ => "pong"));
        if (!admin)
        {
            return;
        }

        var users = model["directus_users"];
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

                var rows = await reader.ReadWhereInAsync(users, users.PrimaryKey, [id], QueryArgs.None, null, ctx.CancellationToken);
                return rows.FirstOrDefault();
            }),
        });
    }
}
