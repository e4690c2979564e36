using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Directus.Scalars;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Directus 12's <c>_json</c> operator: <c>{ content: { _json: { "score": { _gte: 7 }, "sections[0]": { _eq: "login" } } } }</c>.
/// Each path's value is read in SQL (<see cref="JsonPathFunctions"/>), as a number when the compared value is a number
/// (or a list of numbers), else as text, and compared with the path's first operator; paths are and-ed, <c>_and</c> and
/// <c>_or</c> take lists of such objects.
/// </summary>
internal static partial class JsonFilter
{
    /// <summary>Directus's default <c>MAX_JSON_QUERY_DEPTH</c>.</summary>
    private const int MaxDepth = 10;

    private static readonly MethodInfo Text = typeof(JsonPathFunctions).GetMethod(nameof(JsonPathFunctions.Text))!;
    private static readonly MethodInfo Number = typeof(JsonPathFunctions).GetMethod(nameof(JsonPathFunctions.Number))!;

    public static Expression Translate(Expression member, object? value)
    {
        if (value is null)
        {
            throw DirectusException.InvalidQuery("Invalid filter object");
        }

        // A filter that reaches here without the scalar's check (an item permission) gets the same one.
        return JsonFilterScalar.Problem(value) is { } problem
            ? throw DirectusException.InvalidQuery(problem)
            : Group(member, (IDictionary<string, object?>)value);
    }

    /// <summary>
    /// Paths and-ed. As Directus's query builder does, an entry that is not an operator object, and an <c>_and</c>/<c>_or</c>
    /// item that is not an object, adds no condition (only the outer object is checked, by the scalar).
    /// </summary>
    private static Expression Group(Expression member, IDictionary<string, object?> filter)
        => Expressions.AndAlso(filter.Select(entry => entry switch
        {
            { Key: "_and" } => Expressions.AndAlso(Items(entry.Value).Select(f => Group(member, f))),
            { Key: "_or" } when Items(entry.Value).ToList() is { Count: > 0 } items => Expressions.OrElse(items.Select(f => Group(member, f))),
            { Key: not "_or", Value: IDictionary<string, object?> operators } => Condition(member, entry.Key, operators),
            _ => Expressions.True,
        }));

    private static IEnumerable<IDictionary<string, object?>> Items(object? list)
        => list is System.Collections.IList items ? items.OfType<IDictionary<string, object?>>() : [];

    private static Expression Condition(Expression member, string path, IDictionary<string, object?> operators)
    {
        if (operators.Count == 0)
        {
            return Expressions.True; // Directus's getOperation finds no operator and skips the path
        }

        var (op, value) = operators.First();
        var numeric = IsNumber(value) || value is System.Collections.IList { Count: > 0 } list && IsNumber(list[0]);
        var extracted = Expression.Call(numeric ? Number : Text, member, Expression.Constant(Canonical(path)));
        return OperatorTranslator.Translate(null, extracted, op, value);
    }

    private static bool IsNumber(object? value) => value is int or long or double or float or decimal or short or byte;

    /// <summary>Directus's <c>parseJsonPath</c> checks, then the path as <c>$."key"[0]</c>.</summary>
    private static string Canonical(string path)
    {
        var normalized = path.StartsWith('[') ? path : "." + path;
        if (Unsupported().IsMatch(normalized) || !Allowed().IsMatch(normalized))
        {
            throw DirectusException.InvalidQuery("Invalid JSON path: unsupported path expression");
        }

        var depth = normalized.Count(c => c is '.' or '[');
        if (depth > MaxDepth)
        {
            throw DirectusException.InvalidQuery($"JSON path depth ({depth}) exceeds allowed maximum of {MaxDepth}");
        }

        var canonical = new StringBuilder("$");
        var parts = Part().Matches(normalized);
        if (parts.Sum(p => p.Length) != normalized.Length)
        {
            throw DirectusException.InvalidQuery("Invalid JSON path: unsupported path expression");
        }

        foreach (Match part in parts)
        {
            canonical.Append(part.Groups[1].Success ? $".\"{part.Groups[1].Value}\"" : $"[{part.Groups[2].Value}]");
        }

        return canonical.ToString();
    }

    [GeneratedRegex(@"\[\]|\.\.|[*?@$]|\[-")]
    private static partial Regex Unsupported();

    [GeneratedRegex(@"^[\p{L}\p{N}\p{So}\w.[\]]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex(@"\.([^.[\]]+)|\[(\d+)\]")]
    private static partial Regex Part();
}
