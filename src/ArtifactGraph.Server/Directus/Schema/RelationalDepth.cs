using System.Collections;
using ArtifactGraph.Server.Directus.Query;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// How deep a root field's query reaches, measured as Directus's <c>validateQuery</c> measures it after
/// <c>getQuery</c> turned the selection into a Directus query: the longest field path (<c>files.directus_files_id.folder.name</c>
/// is 4), the filter's depth (field keys, not operators), the longest sort path, and the same for the
/// <c>filter</c>/<c>sort</c> of a nested relation with its path in front (Directus's <c>deep</c>). Introspection
/// fields (<c>__typename</c>) do not count, nor do the fields of a <c>_func</c> selection.
/// </summary>
internal static class RelationalDepth
{
    /// <summary>The deepest of the field paths, filter, sort and nested arguments of the resolving root field.</summary>
    public static int Of(IResolveFieldContext context)
        => Of(new Source(context.Document, context.Variables), context.FieldAst, context.FieldDefinition.Name.EndsWith("_aggregated", StringComparison.Ordinal));

    /// <summary>The same for a root field node of <paramref name="document"/>, its variables coerced.</summary>
    public static int Of(GraphQLDocument document, Variables? variables, GraphQLField root, bool aggregated)
        => Of(new Source(document, variables), root, aggregated);

    private static int Of(Source context, GraphQLField root, bool aggregated)
    {
        var fields = aggregated
            ? Paths(Argument(context, root, "groupBy"))
            : Longest(context, root.SelectionSet);
        return Math.Max(fields, Math.Max(Arguments(context, root, 0), Nested(context, root.SelectionSet, 0)));
    }

    /// <summary>Where field nodes and argument values come from: the document (fragments) and the coerced variables.</summary>
    private readonly record struct Source(GraphQLDocument Document, Variables? Variables);

    /// <summary>Directus's <c>calculateFieldDepth</c>: nested keys not starting with <c>_</c> count one level each.</summary>
    public static int OfFilter(object? value) => value switch
    {
        IDictionary<string, object?> map => map.Where(e => IsNested(e.Value))
            .Select(e => OfFilter(e.Value) + (e.Key.StartsWith('_') ? 0 : 1))
            .DefaultIfEmpty(0).Max(),
        IEnumerable list and not string => list.Cast<object?>().Select(OfFilter).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>The longest dotted path of a sort or groupBy list (<c>-project_id.name</c> is 2).</summary>
    public static int Paths(object? value)
        => ReadArguments.Strings(value)?.Select(s => s.Split('.').Length).DefaultIfEmpty(0).Max() ?? 0;

    private static bool IsNested(object? value) => value is IDictionary<string, object?> or (IEnumerable and not string);

    /// <summary>The most segments of a field path below <paramref name="set"/>; a relation that selects only <c>__typename</c> adds none.</summary>
    private static int Longest(Source context, GraphQLSelectionSet? set)
    {
        var longest = 0;
        foreach (var field in Selection.Fields(context.Document, set))
        {
            var name = field.Name.StringValue;
            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            var length = field.SelectionSet is null || name.EndsWith("_func", StringComparison.Ordinal) ? 1
                : Longest(context, field.SelectionSet) is > 0 and var inner ? 1 + inner
                : 0;
            longest = Math.Max(longest, length);
        }

        return longest;
    }

    /// <summary>The nested relations' <c>filter</c> and <c>sort</c>, each behind the path of its relation.</summary>
    private static int Nested(Source context, GraphQLSelectionSet? set, int pathLength)
    {
        var deepest = 0;
        foreach (var field in Selection.Fields(context.Document, set))
        {
            var name = field.Name.StringValue;
            if (field.SelectionSet is null || name.StartsWith("__", StringComparison.Ordinal) || name.EndsWith("_func", StringComparison.Ordinal))
            {
                continue;
            }

            deepest = Math.Max(deepest, Math.Max(Arguments(context, field, pathLength + 1), Nested(context, field.SelectionSet, pathLength + 1)));
        }

        return deepest;
    }

    private static int Arguments(Source context, GraphQLField field, int pathLength)
    {
        var filter = OfFilter(Argument(context, field, "filter"));
        var sort = Paths(Argument(context, field, "sort"));
        return filter == 0 && sort == 0 ? 0 : pathLength + Math.Max(filter, sort);
    }

    private static object? Argument(Source context, GraphQLField field, string name)
        => field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == name) is { } argument ? Value(argument.Value, context.Variables) : null;

    /// <summary>A literal as plain objects and lists (only its shape and strings matter here), variables as coerced.</summary>
    private static object? Value(GraphQLValue value, Variables? variables) => value switch
    {
        GraphQLObjectValue o => (o.Fields ?? []).ToDictionary(f => f.Name.StringValue, f => Value(f.Value, variables)),
        GraphQLListValue l => (l.Values ?? []).Select(v => Value(v, variables)).ToList(),
        GraphQLStringValue s => s.Value.ToString(),
        GraphQLVariable v => variables?.ValueFor(v.Name.Value, out var argument) == true ? argument.Value : null,
        _ => null,
    };
}
