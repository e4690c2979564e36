using System.Globalization;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Loading;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>The Query fields of a collection: <c>c</c>, <c>c_by_id</c>, <c>c_aggregated</c> and <c>c_by_version</c> (spec §3).</summary>
public static class QueryFields
{
    public static void AddQueryFields(this TypeRegistry r, ObjectGraphType query, CollectionModel c, ItemReader reader, bool withVersions)
    {
        var name = c.RootName;
        query.AddField(new FieldType
        {
            Name = name,
            Description = $"Lists {c.Name} items.",
            ResolvedType = TypeRegistry.NonNull(TypeRegistry.ListOf(TypeRegistry.NonNull(r.Object(c, reader)))),
            Arguments = ReadArguments.For(r, c),
            Resolver = new FuncFieldResolver<object?>(async ctx =>
            {
                var args = ReadArguments.Parse(ctx, c);
                var rows = await reader.ReadManyAsync(c, args, ReadArguments.Access(ctx), ctx.CancellationToken);
                RelationLoaders.Prime(((GraphQLUserContext)ctx.UserContext).Read, reader, args, rows);
                return rows;
            }),
        });
        query.AddField(new FieldType
        {
            Name = $"{name}_by_id",
            Description = $"One {c.Name} item by its primary key.",
            ResolvedType = r.Object(c, reader),
            Arguments = new QueryArguments(
                ReadArguments.Arg("id", TypeRegistry.NonNull(r.Id), "The primary key."),
                ReadArguments.Arg("version", r.String, "A content version key; omitted or main for the live item.")),
            Resolver = new FuncFieldResolver<object?>(async ctx => await ReadByIdAsync(reader, c, ctx)),
        });
        query.AddField(new FieldType
        {
            Name = $"{name}_aggregated",
            Description = $"Counts and numeric aggregates of {c.Name}, optionally per group.",
            ResolvedType = TypeRegistry.NonNull(TypeRegistry.ListOf(TypeRegistry.NonNull(r.Aggregated(c)))),
            Arguments = ReadArguments.ForAggregate(r, c),
            Resolver = new FuncFieldResolver<object?>(async ctx => await AggregateAsync(reader, c, ctx)),
        });
        if (withVersions)
        {
            query.AddField(new FieldType
            {
                Name = $"{name}_by_version",
                Description = $"The raw view of a {c.Name} item in a content version (ArtifactGraph keeps no content versions: the live item).",
                ResolvedType = r.VersionType(c),
                Arguments = new QueryArguments(
                    ReadArguments.Arg("version", TypeRegistry.NonNull(r.String), "The content version key."),
                    ReadArguments.Arg("id", TypeRegistry.NonNull(r.Id), "The primary key.")),
                Resolver = new FuncFieldResolver<object?>(async ctx => await ReadByIdAsync(reader, c, ctx)),
            });
        }
    }

    /// <summary>Reads one item; a malformed or unknown key is FORBIDDEN, as Directus never reveals existence.</summary>
    public static async Task<object> ReadByIdAsync(ItemReader reader, CollectionModel c, IResolveFieldContext ctx)
    {
        var key = ItemKeys.Parse(c, ctx.GetArgument<string>("id")) ?? throw DirectusException.Forbidden();
        var rows = await reader.ReadWhereInAsync(c, c.PrimaryKey, [key], QueryArgs.None, null, ReadArguments.Access(ctx), ctx.CancellationToken);
        return rows.FirstOrDefault() ?? throw DirectusException.Forbidden();
    }

    /// <summary><c>c_aggregated</c>: the aggregates its selection asks for, grouped by its <c>groupBy</c>.</summary>
    private static Task<IReadOnlyList<AggregateRow>> AggregateAsync(ItemReader reader, CollectionModel c, IResolveFieldContext ctx)
    {
        var requested = new List<(string, string?)>();
        foreach (var field in Selection.Fields(ctx, ctx.FieldAst.SelectionSet))
        {
            var name = field.Name.StringValue;
            if (name == "countAll")
            {
                requested.Add((name, null));
            }
            else if (name is not ("group" or "__typename"))
            {
                requested.AddRange(Selection.Fields(ctx, field.SelectionSet).Select(s => s.Name.StringValue).Where(s => s != "__typename").Distinct()
                    .Select(sub => (name, (string?)sub)));
            }
        }

        return AggregateReader.ReadAsync(
            reader, c, ReadArguments.Parse(ctx), ReadArguments.Strings(ctx.GetArgument<object?>("groupBy")) ?? [], requested, ReadArguments.Access(ctx), ctx.CancellationToken);
    }
}
