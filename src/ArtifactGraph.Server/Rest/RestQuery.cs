using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Scalars;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Json;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// The query parameters of a REST read, parsed as Directus's <c>sanitizeQuery</c> parses them: <c>fields</c>, <c>filter</c>,
/// <c>sort</c>, <c>limit</c>, <c>offset</c>, <c>page</c>, <c>search</c>, <c>meta</c>, <c>deep</c>, <c>alias</c>,
/// <c>aggregate</c>, <c>groupBy</c> and <c>export</c>, each as a string (JSON for the objects, a comma list for the lists)
/// or in the bracket form. The read arguments become the same <see cref="QueryArgs"/> GraphQL's arguments become.
/// </summary>
internal sealed record RestQuery(
    IReadOnlyList<string> Fields,
    QueryArgs Args,
    bool TotalCount,
    bool FilterCount,
    IReadOnlyDictionary<string, object?>? Deep,
    IReadOnlyDictionary<string, string>? Alias,
    IReadOnlyList<(string Aggregate, string? Field)>? Aggregate,
    IReadOnlyList<string> GroupBy,
    string? Export)
{
    public static readonly IReadOnlyList<string> AllFields = ["*"];

    public static RestQuery Parse(IQueryCollection query) => From(QueryString.Parse(query));

    /// <summary>The parameters of a body's <c>query</c> object (updates and deletes by query) or of a parsed query string.</summary>
    public static RestQuery From(IReadOnlyDictionary<string, object?> parameters)
    {
        object? Get(string name) => parameters.TryGetValue(name, out var value) ? value : null;
        var meta = List(Get("meta")) ?? [];
        var aggregate = Aggregates(Get("aggregate"));
        return new RestQuery(
            Fields: List(Get("fields")) is { Count: > 0 } fields ? fields : AllFields,
            Args: new QueryArgs(
                Filter: Filter(Get("filter")),
                Sort: List(Get("sort")),
                Limit: Integer(Get("limit"), "limit"),
                Offset: Integer(Get("offset"), "offset"),
                Page: Integer(Get("page"), "page"),
                Search: Get("search") as string),
            TotalCount: meta.Contains("*") || meta.Contains("total_count"),
            FilterCount: meta.Contains("*") || meta.Contains("filter_count"),
            Deep: LenientObject(Get("deep")),
            Alias: LenientObject(Get("alias")) is { } alias
                ? alias.Where(kv => kv.Value is string).ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal)
                : null,
            Aggregate: aggregate,
            GroupBy: List(Get("groupBy")) ?? [],
            Export: Get("export") as string);
    }

    /// <summary>A comma list, or a list of comma lists (<c>fields[]=a,b&amp;fields[]=c</c>), trimmed, empty entries dropped.</summary>
    private static List<string>? List(object? raw) => raw switch
    {
        null => null,
        string s => Split(s).ToList(),
        IEnumerable<object?> list => list.OfType<string>().SelectMany(Split).ToList(),
        _ => null,
    };

    private static IEnumerable<string> Split(string text)
        => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Directus's check of <c>limit</c>, <c>offset</c> and <c>page</c>: a number, and a whole one.</summary>
    private static int? Integer(object? raw, string name)
    {
        switch (raw)
        {
            case null:
                return null;
            case int i:
                return i;
            case long l:
                return (int)Math.Clamp(l, int.MinValue, int.MaxValue);
            case double or decimal:
                var value = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                return value == Math.Floor(value)
                    ? (int)Math.Clamp(value, int.MinValue, int.MaxValue)
                    : throw DirectusException.InvalidQuery($"\"{name}\" must be an integer");
            case string s:
                var number = JsNumber.Parse(s);
                if (double.IsNaN(number) || s.Trim().Length == 0)
                {
                    throw DirectusException.InvalidQuery($"\"{name}\" must be a number");
                }

                return number == Math.Floor(number)
                    ? (int)Math.Clamp(number, int.MinValue, int.MaxValue)
                    : throw DirectusException.InvalidQuery($"\"{name}\" must be an integer");
            default:
                throw DirectusException.InvalidQuery($"\"{name}\" must be a number");
        }
    }

    /// <summary>The filter: JSON text (refused when it is not JSON) or the bracket form's object.</summary>
    private static IReadOnlyDictionary<string, object?>? Filter(object? raw) => raw switch
    {
        null => null,
        string text => Json(text, "Invalid JSON for filter object") switch
        {
            IDictionary<string, object?> filter => filter.AsReadOnly(),
            null => null,
            _ => throw DirectusException.InvalidQuery("Invalid filter object"),
        },
        IDictionary<string, object?> filter => filter.AsReadOnly(),
        _ => throw DirectusException.InvalidQuery("Invalid filter object"),
    };

    /// <summary><c>deep</c> and <c>alias</c>: JSON text or the bracket form; Directus ignores text that is not a JSON object.</summary>
    private static IReadOnlyDictionary<string, object?>? LenientObject(object? raw)
    {
        switch (raw)
        {
            case IDictionary<string, object?> value:
                return value.AsReadOnly();
            case string text:
                try
                {
                    return Json(text, "") is IDictionary<string, object?> parsed ? parsed.AsReadOnly() : null;
                }
                catch (DirectusException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary><c>aggregate[fn]=field,field</c> (or its JSON form): each function with its fields; <c>*</c> counts rows.</summary>
    private static List<(string, string?)>? Aggregates(object? raw)
    {
        var value = raw is string text ? Json(text, "Invalid JSON for aggregate object") : raw;
        if (value is null)
        {
            return null;
        }

        if (value is not IDictionary<string, object?> functions)
        {
            throw DirectusException.InvalidQuery("Invalid aggregate object");
        }

        var result = new List<(string, string?)>();
        foreach (var (function, fields) in functions)
        {
            if (!Functions.Contains(function))
            {
                throw DirectusException.InvalidQuery($"\"aggregate.{function}\" is not allowed");
            }

            foreach (var field in List(fields) ?? throw DirectusException.InvalidQuery($"\"aggregate.{function}\" must be a string or a list of strings"))
            {
                result.Add((function, field == "*" ? null : field));
            }
        }

        return result;
    }

    /// <summary>Directus's aggregate functions.</summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        "count", "countDistinct", "countAll", "sum", "sumDistinct", "avg", "avgDistinct", "min", "max",
    };

    private static object? Json(string text, string invalid)
    {
        try
        {
            using var document = ClientJson.Parse(text, _ => DirectusException.InvalidQuery(invalid));
            return ClientJson.ToValue(document.RootElement);
        }
        catch (DirectusException error) when (error.Code == "INVALID_PAYLOAD")
        {
            throw DirectusException.InvalidQuery(invalid);
        }
    }
}
