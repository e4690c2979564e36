using System.Collections;
using System.Globalization;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Access;

/// <summary>
/// A permission's <c>validation</c> filter checked against the values being written (Directus's rule): each condition
/// on a field the payload holds must pass; conditions on fields the payload does not touch are not checked.
/// Failing is <c>FAILED_VALIDATION</c>, naming the field.
/// </summary>
public static class PayloadValidation
{
    public static void Check(IReadOnlyDictionary<string, object?>? validation, IDictionary<string, object?> payload)
    {
        if (validation is not null && Failure(validation, payload) is { } failure)
        {
            throw new DirectusException("FAILED_VALIDATION", $"Validation failed for field \"{failure.Field}\". {failure.Detail}", 400,
                new Dictionary<string, object?> { ["field"] = failure.Field, ["type"] = failure.Operator.TrimStart('_') });
        }
    }

    private static (string Field, string Operator, string Detail)? Failure(IReadOnlyDictionary<string, object?> filter, IDictionary<string, object?> payload)
    {
        foreach (var (key, condition) in filter)
        {
            switch (key)
            {
                case "_and":
                    foreach (var part in Parts(condition))
                    {
                        if (Failure(part, payload) is { } failure)
                        {
                            return failure;
                        }
                    }

                    break;
                case "_or":
                    var failures = Parts(condition).Select(p => Failure(p, payload)).ToList();
                    if (failures.Count > 0 && failures.All(f => f is not null))
                    {
                        return failures[0];
                    }

                    break;
                default:
                    if (payload.TryGetValue(key, out var value) && condition is IReadOnlyDictionary<string, object?> operators)
                    {
                        foreach (var (op, expected) in operators)
                        {
                            if (!Passes(op, Plain(value), expected))
                            {
                                return (key, op, Describe(op, expected));
                            }
                        }
                    }

                    break;
            }
        }

        return null;
    }

    private static bool Passes(string op, object? value, object? expected) => op switch
    {
        "_eq" => Same(value, expected),
        "_neq" => !Same(value, expected),
        "_in" => Items(expected).Any(e => Same(value, e)),
        "_nin" => !Items(expected).Any(e => Same(value, e)),
        "_null" => (value is null) == Truthy(expected),
        "_nnull" => (value is not null) == Truthy(expected),
        "_empty" => (value is null || value is "") == Truthy(expected),
        "_nempty" => (value is not null && value is not "") == Truthy(expected),
        "_contains" => Text(value)?.Contains(Text(expected) ?? "", StringComparison.Ordinal) ?? false,
        "_ncontains" => !(Text(value)?.Contains(Text(expected) ?? "", StringComparison.Ordinal) ?? false),
        "_starts_with" => Text(value)?.StartsWith(Text(expected) ?? "", StringComparison.Ordinal) ?? false,
        "_ends_with" => Text(value)?.EndsWith(Text(expected) ?? "", StringComparison.Ordinal) ?? false,
        "_gt" => Compare(value, expected) > 0,
        "_gte" => Compare(value, expected) >= 0,
        "_lt" => Compare(value, expected) < 0,
        "_lte" => Compare(value, expected) <= 0,
        _ => throw DirectusException.InvalidPayload($"The validation operator \"{op}\" is not supported"),
    };

    private static string Describe(string op, object? expected) => op switch
    {
        "_eq" => $"Value has to be \"{Text(expected)}\".",
        "_neq" => $"Value can't be \"{Text(expected)}\".",
        "_in" => $"Value has to be one of {string.Join(", ", Items(expected).Select(Text))}.",
        "_nin" => $"Value can't be one of {string.Join(", ", Items(expected).Select(Text))}.",
        "_null" or "_empty" => "Value has to be empty.",
        "_nnull" or "_nempty" => "Value is required.",
        _ => "Value doesn't have the correct format.",
    };

    /// <summary>A many-to-one value is an object in GraphQL input: its key is what is compared.</summary>
    private static object? Plain(object? value) => value is IDictionary<string, object?> nested
        ? nested.TryGetValue("id", out var key) ? key : null
        : value;

    private static bool Same(object? a, object? b) => string.Equals(Text(a), Text(b), StringComparison.Ordinal);

    private static bool Truthy(object? value) => value is true or "true" or 1L or 1;

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static int Compare(object? a, object? b)
        => double.TryParse(Text(a), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(Text(b), NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                ? x.CompareTo(y)
                : string.CompareOrdinal(Text(a), Text(b));

    private static IEnumerable<object?> Items(object? value) => value is IEnumerable list and not string ? list.Cast<object?>() : [value];

    private static IEnumerable<IReadOnlyDictionary<string, object?>> Parts(object? value)
        => (value as IEnumerable ?? Array.Empty<object>()).OfType<IReadOnlyDictionary<string, object?>>();
}
