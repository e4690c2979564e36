using System.Collections;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.GraphQL;
using GraphQL;
using GraphQL.Types;

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

    /// <summary>The read arguments plus the columns the field's selection needs from <paramref name="collection"/>.</summary>
    /// <remarks>Parsed once per field node and request (the resolver of a relation runs once per parent row).</remarks>
    public static QueryArgs Parse(IResolveFieldContext context, CollectionModel collection)
        => context.UserContext is GraphQLUserContext user
            ? user.FieldArgs.GetOrAdd((context.FieldAst, collection.Name), _ => Parse(context) with { Columns = Columns(context, collection) })
            : Parse(context) with { Columns = Columns(context, collection) };

    public static QueryArgs Parse(IResolveFieldContext context)
    {
        if (context.Arguments is null || context.Arguments.Count == 0)
        {
            return QueryArgs.None;
        }

        return new QueryArgs(
            Filter: context.GetArgument<object?>("filter") switch
            {
                IDictionary<string, object?> d => d.AsReadOnly(),
                _ => null,
            },
            Sort: Strings(context.GetArgument<object?>("sort")),
            Limit: context.GetArgument<int?>("limit"),
            Offset: context.GetArgument<int?>("offset"),
            Page: context.GetArgument<int?>("page"),
            Search: context.GetArgument<string?>("search"));
    }

    /// <summary>The properties to read: the key, every selected column (also behind a <c>_func</c> field) and the foreign key of every selected relation.</summary>
    private static IReadOnlyList<string> Columns(IResolveFieldContext context, CollectionModel collection)
    {
        var columns = new SortedSet<string>(StringComparer.Ordinal) { collection.PrimaryKey.Property!.Name };
        foreach (var selected in Selection.Fields(context, context.FieldAst.SelectionSet))
        {
            var name = selected.Name.StringValue;
            var field = collection.Field(name) ?? (name.EndsWith("_func", StringComparison.Ordinal) ? collection.Field(name[..^5]) : null);
            if (field?.Property is { } property)
            {
                columns.Add(property.Name);
            }
        }

        return [.. columns];
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
