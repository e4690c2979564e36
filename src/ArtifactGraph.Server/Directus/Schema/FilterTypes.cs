using ArtifactGraph.Server.Directus.Model;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>The <c>&lt;c&gt;_filter</c> and <c>&lt;c&gt;_quantifier_filter</c> inputs and their operator types (spec §4).</summary>
public static class FilterTypes
{
    private static readonly string[] TextOps =
    [
        "_eq", "_neq", "_contains", "_icontains", "_ncontains", "_starts_with", "_nstarts_with", "_istarts_with",
        "_nistarts_with", "_ends_with", "_nends_with", "_iends_with", "_niends_with",
    ];

    private static readonly string[] Comparisons = ["_gt", "_gte", "_lt", "_lte"];

    public static InputObjectGraphType Filter(this TypeRegistry r, CollectionModel c)
        => r.GetOrAdd($"{c.Name}_filter", () => new InputObjectGraphType(), t =>
        {
            t.Description = $"Conditions on {c.Name}: every key must hold (use _and/_or to combine).";
            AddFields(r, c, t);
            t.Field("_and", TypeRegistry.ListOf(r.Filter(c)));
            t.Field("_or", TypeRegistry.ListOf(r.Filter(c)));
        });

    public static InputObjectGraphType QuantifierFilter(this TypeRegistry r, CollectionModel c)
        => r.GetOrAdd($"{c.Name}_quantifier_filter", () => new InputObjectGraphType(), t =>
        {
            t.Description = $"Conditions on the related {c.Name} rows: _some (at least one matches), _none (none matches); other keys mean _some.";
            AddFields(r, c, t);
            t.Field("_and", TypeRegistry.ListOf(r.Filter(c)));
            t.Field("_or", TypeRegistry.ListOf(r.Filter(c)));
            t.Field("_some", r.Filter(c));
            t.Field("_none", r.Filter(c));
        });

    private static void AddFields(TypeRegistry r, CollectionModel c, InputObjectGraphType t)
    {
        foreach (var f in r.Readable(c))
        {
            switch (f.Kind)
            {
                case FieldKind.ManyToOne:
                    t.Field(f.Name, r.Filter(f.Related!));
                    break;
                case FieldKind.OneToMany:
                    t.Field(f.Name, r.QuantifierFilter(f.Related!));
                    t.Field($"{f.Name}_func", r.CountFunctionFilter());
                    break;
                default:
                    t.Field(f.Name, r.Operators(f));
                    if (f.IsDateTime)
                    {
                        t.Field($"{f.Name}_func", r.DateTimeFunctionFilter());
                    }
                    else if (f.IsJson)
                    {
                        t.Field($"{f.Name}_func", r.CountFunctionFilter());
                    }

                    break;
            }
        }
    }

    /// <summary>The operator type chosen by the field's GraphQL scalar, as Directus does.</summary>
    public static InputObjectGraphType Operators(this TypeRegistry r, FieldModel f)
    {
        if (f.IsPrimaryKey && f.DirectusType == "integer")
        {
            return r.NumberOperators();
        }

        return f.DirectusType switch
        {
            "uuid" => r.TextOperators("id_filter_operators", r.Id),
            "integer" or "float" or "decimal" => r.NumberOperators(),
            "bigInteger" => r.BigIntOperators(),
            "timestamp" or "dateTime" or "date" or "time" => r.DateOperators(),
            "boolean" => r.BooleanOperators(),
            "hash" => r.HashOperators(),
            "json" => r.JsonOperators(),
            _ => r.TextOperators("string_filter_operators", r.String),
        };
    }

    private static InputObjectGraphType TextOperators(this TypeRegistry r, string name, IGraphType scalar)
        => r.GetOrAdd(name, () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for text and id fields; _contains/_starts_with/_ends_with are case-sensitive, _i… variants are not.";
            foreach (var op in TextOps)
            {
                t.Field(op, scalar);
            }

            t.Field("_in", TypeRegistry.ListOf(scalar));
            t.Field("_nin", TypeRegistry.ListOf(scalar));
            Booleans(r, t, "_null", "_nnull", "_empty", "_nempty");
        });

    private static InputObjectGraphType NumberOperators(this TypeRegistry r)
        => r.GetOrAdd("number_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for numeric fields; values may be numbers or numeric strings.";
            Numeric(r, t, r.StringOrFloat, r.StringOrFloat);
        });

    private static InputObjectGraphType BigIntOperators(this TypeRegistry r)
        => r.GetOrAdd("big_int_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for 64-bit integer fields; values are strings.";
            Numeric(r, t, r.BigInt, r.BigInt);
        });

    private static void Numeric(TypeRegistry r, InputObjectGraphType t, IGraphType scalar, IGraphType betweenScalar)
    {
        t.Field("_eq", scalar);
        t.Field("_neq", scalar);
        t.Field("_in", TypeRegistry.ListOf(scalar));
        t.Field("_nin", TypeRegistry.ListOf(scalar));
        foreach (var op in Comparisons)
        {
            t.Field(op, scalar);
        }

        Booleans(r, t, "_null", "_nnull");
        t.Field("_between", TypeRegistry.ListOf(betweenScalar));
        t.Field("_nbetween", TypeRegistry.ListOf(betweenScalar));
    }

    private static InputObjectGraphType DateOperators(this TypeRegistry r)
        => r.GetOrAdd("date_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for date and time fields; values are ISO 8601 strings or $NOW / $NOW(-1 day).";
            t.Field("_eq", r.String);
            t.Field("_neq", r.String);
            foreach (var op in Comparisons)
            {
                t.Field(op, r.String);
            }

            Booleans(r, t, "_null", "_nnull");
            t.Field("_in", TypeRegistry.ListOf(r.String));
            t.Field("_nin", TypeRegistry.ListOf(r.String));
            t.Field("_between", TypeRegistry.ListOf(r.StringOrFloat));
            t.Field("_nbetween", TypeRegistry.ListOf(r.StringOrFloat));
        });

    private static InputObjectGraphType BooleanOperators(this TypeRegistry r)
        => r.GetOrAdd("boolean_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for boolean fields.";
            t.Field("_eq", r.Boolean);
            t.Field("_neq", r.Boolean);
            Booleans(r, t, "_null", "_nnull");
        });

    private static InputObjectGraphType HashOperators(this TypeRegistry r)
        => r.GetOrAdd("hash_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for hashed fields: only whether a value is set.";
            Booleans(r, t, "_null", "_nnull", "_empty", "_nempty");
        });

    private static InputObjectGraphType JsonOperators(this TypeRegistry r)
        => r.GetOrAdd("json_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Operators for JSON fields.";
            t.Field("_json", r.JsonFilter);
            Booleans(r, t, "_null", "_nnull");
        });

    public static InputObjectGraphType CountFunctionFilter(this TypeRegistry r)
        => r.GetOrAdd("count_function_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Filter on count(field): the number of related rows, or of items in a JSON array.";
            t.Field("count", r.NumberOperators());
        });

    public static InputObjectGraphType DateTimeFunctionFilter(this TypeRegistry r)
        => r.GetOrAdd("datetime_function_filter_operators", () => new InputObjectGraphType(), t =>
        {
            t.Description = "Filter on parts of a timestamp (UTC): year(field), month(field), ….";
            foreach (var part in DateParts.Names)
            {
                t.Field(part, r.NumberOperators());
            }
        });

    private static void Booleans(TypeRegistry r, InputObjectGraphType t, params string[] names)
    {
        foreach (var name in names)
        {
            t.Field(name, r.Boolean);
        }
    }
}
