using GraphQL.Types;
using GraphQL.Utilities;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// Describes, by Directus's naming rules, what the generator leaves undescribed, so that every type, field and input
/// field shows a description in IDEs: columns of a collection, the operator inputs, per-field counts, the fields of
/// create/update/filter inputs and the built-in scalars. A description the generator gives always wins; a type no
/// rule knows stays undescribed (the introspection test names it).
/// </summary>
internal sealed class SchemaDescriptions : BaseSchemaNodeVisitor
{
    public static readonly SchemaDescriptions Instance = new();

    private static readonly Dictionary<string, string> TypeTexts = new(StringComparer.Ordinal)
    {
        ["Query"] = "Reads: lists, single items by key and aggregates of the collections the caller may read.",
        ["Mutation"] = "Writes: creates, updates and deletes of the collections the caller may change.",
        ["Subscription"] = "Changes to items as they happen (declared as Directus declares them; not delivered over HTTP).",
        ["String"] = "Textual data, as UTF-8 character sequences.",
        ["Int"] = "A signed 32-bit integer.",
        ["Float"] = "A signed double-precision floating-point value.",
        ["Boolean"] = "true or false.",
        ["ID"] = "A unique identifier, written as a string (a UUID or a number here).",
    };

    private static readonly Dictionary<string, string> Operators = new(StringComparer.Ordinal)
    {
        ["_eq"] = "Equal to the value.",
        ["_neq"] = "Not equal to the value.",
        ["_lt"] = "Less than the value.",
        ["_lte"] = "Less than or equal to the value.",
        ["_gt"] = "Greater than the value.",
        ["_gte"] = "Greater than or equal to the value.",
        ["_in"] = "Equal to one of the values.",
        ["_nin"] = "Equal to none of the values.",
        ["_between"] = "Between the two values, both included.",
        ["_nbetween"] = "Outside the two values.",
        ["_null"] = "true: the value is null.",
        ["_nnull"] = "true: the value is not null.",
        ["_empty"] = "true: the value is null or empty.",
        ["_nempty"] = "true: the value is neither null nor empty.",
        ["_contains"] = "Contains the text (case-sensitive).",
        ["_ncontains"] = "Does not contain the text (case-sensitive).",
        ["_icontains"] = "Contains the text, ignoring case.",
        ["_starts_with"] = "Starts with the text (case-sensitive).",
        ["_nstarts_with"] = "Does not start with the text (case-sensitive).",
        ["_istarts_with"] = "Starts with the text, ignoring case.",
        ["_nistarts_with"] = "Does not start with the text, ignoring case.",
        ["_ends_with"] = "Ends with the text (case-sensitive).",
        ["_nends_with"] = "Does not end with the text (case-sensitive).",
        ["_iends_with"] = "Ends with the text, ignoring case.",
        ["_niends_with"] = "Does not end with the text, ignoring case.",
        ["_json"] = "Conditions on values inside the JSON document: JSON paths (`score`, `meta.title`, `sections[0]`) mapped to one operator each, with `_and`/`_or` lists; a number compares as a number, anything else as text.",
        ["_and"] = "Every one of these conditions holds.",
        ["_or"] = "At least one of these conditions holds.",
        ["_some"] = "At least one related row matches.",
        ["_none"] = "No related row matches.",
    };

    private static readonly Dictionary<string, string> DateParts = new(StringComparer.Ordinal)
    {
        ["year"] = "The year.",
        ["month"] = "The month, 1 to 12.",
        ["week"] = "The ISO week, 1 to 53.",
        ["day"] = "The day of the month.",
        ["weekday"] = "The day of the week, 0 (Sunday) to 6.",
        ["hour"] = "The hour, 0 to 23.",
        ["minute"] = "The minute.",
        ["second"] = "The second.",
        ["count"] = "The number of related rows, or of items in a JSON array.",
    };

    public override void VisitObject(IObjectGraphType type, ISchema schema) => Describe(type, DescribeType(type.Name));

    public override void VisitScalar(ScalarGraphType type, ISchema schema) => Describe(type, DescribeType(type.Name));

    public override void VisitEnumValue(EnumValueDefinition value, EnumerationGraphType type, ISchema schema)
        => Describe(value, type.Name == "EventEnum" ? $"An item was {value.Name}d." : null);

    public override void VisitObjectFieldDefinition(FieldType field, IObjectGraphType type, ISchema schema)
        => Describe(field, DescribeOutput(type.Name, field.Name));

    public override void VisitInputObjectFieldDefinition(FieldType field, IInputObjectGraphType type, ISchema schema)
        => Describe(field, DescribeInput(type.Name, field.Name));

    private static string? DescribeType(string name)
        => TypeTexts.GetValueOrDefault(name)
            ?? (name.StartsWith("version_", StringComparison.Ordinal)
                ? $"A {name["version_".Length..]} item as a content version holds it: plain values, relations as keys."
                : null);

    private static string? DescribeOutput(string type, string field)
    {
        if (type.StartsWith("__", StringComparison.Ordinal))
        {
            return null;
        }

        if (type.EndsWith("_aggregated_count", StringComparison.Ordinal))
        {
            return $"How many items of the group have a value in {field}.";
        }

        if (type.EndsWith("_aggregated_fields", StringComparison.Ordinal))
        {
            return $"The aggregate of {field} over the group.";
        }

        return (type, field) switch
        {
            ("datetime_functions", _) => DateParts.GetValueOrDefault(field),
            ("delete_one", "id") => "The key of the deleted item.",
            ("delete_many", "ids") => "The keys of the deleted items.",
            (_, "id") => "The item's primary key.",
            _ when type.StartsWith("version_", StringComparison.Ordinal) => $"The {field} value held by the version.",
            _ => $"The {field} value of the {type} item.",
        };
    }

    private static string? DescribeInput(string type, string field)
    {
        if (Operators.TryGetValue(field, out var text) || (type.EndsWith("_function_filter_operators", StringComparison.Ordinal)
            && DateParts.TryGetValue(field, out text)))
        {
            return type.EndsWith("_function_filter_operators", StringComparison.Ordinal) && !field.StartsWith('_')
                ? $"Conditions on {text![..1].ToLowerInvariant()}{text[1..^1]}."
                : text;
        }

        if (type.StartsWith("create_", StringComparison.Ordinal) && type.EndsWith("_input", StringComparison.Ordinal))
        {
            return $"The {field} value of the new item.";
        }

        if (type.StartsWith("update_", StringComparison.Ordinal) && type.EndsWith("_input", StringComparison.Ordinal))
        {
            return $"The new {field} value.";
        }

        if (type.EndsWith("_filter", StringComparison.Ordinal))
        {
            return field.EndsWith("_func", StringComparison.Ordinal)
                ? $"Conditions on functions of {field[..^"_func".Length]}."
                : $"Conditions on {field}.";
        }

        return null;
    }

    private static void Describe(IProvideDescription target, string? text)
    {
        if (string.IsNullOrEmpty(target.Description) && text is not null)
        {
            target.Description = text;
        }
    }
}
