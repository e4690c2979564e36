using System.Collections;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.GraphQL;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>The six read arguments of lists and relations, and their parsing into <see cref="QueryArgs"/>.</summary>
public static class ReadArguments
{
    public static QueryArguments For(TypeRegistry r, CollectionModel c) => new(
        Arg("filter", r.Filter(c), "Only items matching these conditions."),
        Arg("sort", TypeRegistry.ListOf(r.String), "Fields to sort by; prefix with - for descending; dotted paths sort by related fields."),
        Arg("limit", r.Int, "How many items at most (default 100, -1 for all)."),
        Arg("offset", r.Int, "How many items to skip."),
        Arg("page", r.Int, "The page of `limit` items to return, from 1 (replaces offset)."),
        Arg("search", r.String, "Only items with this text in a text field (or this number or id in a numeric or id field)."));

    public static QueryArguments ForAggregate(TypeRegistry r, CollectionModel c) => new(
        Arg("groupBy", TypeRegistry.ListOf(r.String), "Fields (or functions such as year(date_created)) to group by."),
        Arg("filter", r.Filter(c), "Only items matching these conditions."),
        Arg("limit", r.Int, "How many groups at most (default 100, -1 for all)."),
        Arg("offset", r.Int, "How many groups to skip."),
        Arg("page", r.Int, "The page of `limit` groups to return, from 1."),
        Arg("search", r.String, "Only items with this text in a text field."),
        Arg("sort", TypeRegistry.ListOf(r.String), "Group fields or aggregates to sort by; prefix with - for descending."));

    public static QueryArgument Arg(string name, IGraphType type, string description)
        => new(type) { Name = name, Description = description };

    /// <summary>
    /// The read arguments plus the columns the field's selection needs from <paramref name="collection"/>, and the
    /// many-to-one fields of the selection to read in the same statement.
    /// </summary>
    /// <remarks>Parsed once per field node and request (the resolver of a relation runs once per parent row).</remarks>
    public static QueryArgs Parse(IResolveFieldContext context, CollectionModel collection)
        => context.UserContext is GraphQLUserContext user
            ? user.FieldArgs.GetOrAdd((context.FieldAst, collection.Name), _ => Parse(context) with
            {
                Columns = Columns(context.Document, context.FieldAst.SelectionSet, collection),
                Joins = Joins(context.Document, context.FieldAst.SelectionSet, collection, user.Accountability.Access),
            })
            : Parse(context) with { Columns = Columns(context.Document, context.FieldAst.SelectionSet, collection) };

    public static QueryArgs Parse(IResolveFieldContext context) => Parse(context.Arguments);

    /// <summary>The read arguments among a field's coerced argument values (absent and null are the same).</summary>
    public static QueryArgs Parse(IDictionary<string, ArgumentValue>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
        {
            return QueryArgs.None;
        }

        object? Get(string name) => arguments.TryGetValue(name, out var value) ? value.Value : null;
        return new QueryArgs(
            Filter: Get("filter") switch
            {
                IDictionary<string, object?> d => d.AsReadOnly(),
                _ => null,
            },
            Sort: Strings(Get("sort")),
            Limit: Get("limit") as int?,
            Offset: Get("offset") as int?,
            Page: Get("page") as int?,
            Search: Get("search") as string);
    }

    /// <summary>The properties to read: the key, every selected column (also behind a <c>_func</c> field) and the foreign key of every selected relation.</summary>
    private static IReadOnlyList<string> Columns(GraphQLDocument document, GraphQLSelectionSet? selection, CollectionModel collection)
        => JoinedRelation.ColumnsOf(collection, Selection.Fields(document, selection).Select(selected =>
        {
            var name = selected.Name.StringValue;
            return collection.Field(name) ?? (name.EndsWith("_func", StringComparison.Ordinal) ? collection.Field(name[..^5]) : null);
        }));

    /// <summary>The many-to-one fields of the selection that can be read with a join (<see cref="JoinedRelation.CanJoin"/>).</summary>
    private static IReadOnlyList<JoinedRelation>? Joins(GraphQLDocument document, GraphQLSelectionSet? selection, CollectionModel collection, AccessRules access)
    {
        List<JoinedRelation>? joins = null;
        foreach (var group in Selection.Fields(document, selection).GroupBy(s => s.Name.StringValue, StringComparer.Ordinal))
        {
            if (collection.Field(group.Key) is not { Related: { } target } field
                || !JoinedRelation.CanJoin(field, access)
                || group.Any(node => node.Arguments is { Count: > 0 }))
            {
                continue;
            }

            var targets = group
                .Select(node => QueryArgs.None with { Columns = Columns(document, node.SelectionSet, target) })
                .DistinctBy(args => args.CacheKey(), StringComparer.Ordinal)
                .ToList();
            var columns = targets.SelectMany(t => t.Columns!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            (joins ??= []).Add(new JoinedRelation(field, columns, targets));
        }

        return joins;
    }

    /// <summary>What the request's caller may do.</summary>
    public static AccessRules Access(IResolveFieldContext context) => ((GraphQLUserContext)context.UserContext).Accountability.Access;

    public static IReadOnlyList<string>? Strings(object? value) => value switch
    {
        null => null,
        string s => [s],
        IEnumerable list => list.Cast<object?>().Where(v => v is not null).Select(v => v!.ToString()!).ToList(),
        _ => null,
    };
}
