using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary><c>c_aggregated</c>, <c>c_aggregated_count</c> and <c>c_aggregated_fields</c> (spec §6).</summary>
public static class AggregateTypes
{
    public static readonly string[] NumericAggregates = ["avg", "sum", "avgDistinct", "sumDistinct", "min", "max"];

    public static ObjectGraphType Aggregated(this TypeRegistry r, CollectionModel c)
        => r.GetOrAdd($"{c.Name}_aggregated", () => new ObjectGraphType(), t =>
        {
            t.Description = $"Aggregates of {c.Name}: one element per group, or one for all items without groupBy.";
            t.AddField(ObjectTypes.Field("group", r.Json, "The group's values of the groupBy fields.", ctx => ((AggregateRow)ctx.Source!).Group));
            t.AddField(ObjectTypes.Field("countAll", r.Int, "The number of items.", ctx => ((AggregateRow)ctx.Source!).CountAll));
            foreach (var name in new[] { "count", "countDistinct" })
            {
                t.AddField(ObjectTypes.Field(name, r.AggregatedCount(c), name == "count" ? "Non-null values per field." : "Distinct non-null values per field.",
                    ctx => ((AggregateRow)ctx.Source!).Values(name)));
            }

            if (r.Readable(c).Any(f => f.Kind == FieldKind.Scalar && f.DirectusType is "integer" or "float" or "decimal"))
            {
                foreach (var name in NumericAggregates)
                {
                    t.AddField(ObjectTypes.Field(name, r.AggregatedFields(c), $"The {name} of each numeric field.", ctx => ((AggregateRow)ctx.Source!).Values(name)));
                }
            }
        });

    private static ObjectGraphType AggregatedCount(this TypeRegistry r, CollectionModel c)
        => r.GetOrAdd($"{c.Name}_aggregated_count", () => new ObjectGraphType(), t =>
        {
            t.Description = $"A count per field of {c.Name}.";
            foreach (var f in r.Readable(c))
            {
                t.AddField(ObjectTypes.Field(f.Name, r.Int, null, ctx => ((IReadOnlyDictionary<string, object?>)ctx.Source!).GetValueOrDefault(f.Name)));
            }
        });

    private static ObjectGraphType AggregatedFields(this TypeRegistry r, CollectionModel c)
        => r.GetOrAdd($"{c.Name}_aggregated_fields", () => new ObjectGraphType(), t =>
        {
            t.Description = $"A numeric aggregate per numeric field of {c.Name}.";
            foreach (var f in r.Readable(c).Where(f => f.Kind == FieldKind.Scalar && f.IsNumeric))
            {
                t.AddField(ObjectTypes.Field(f.Name, r.Float, null, ctx => ((IReadOnlyDictionary<string, object?>)ctx.Source!).GetValueOrDefault(f.Name)));
            }
        });
}
