using System.Globalization;
using System.Linq.Expressions;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Access;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Directus <c>search</c>: an OR over the collection's text columns (the filter rule <c>_icontains</c>), its numeric
/// columns when the term is a number and its uuid columns (keys) when the term is a UUID (the rule <c>_eq</c>).
/// JSON, dates and booleans are not searched.
/// </summary>
internal static class SearchTranslator
{
    public static Expression Build(CollectionModel collection, Expression instance, string term, AccessRules access)
    {
        term = ValueParser.CheckText(term, "search");
        var parts = new List<Expression>();
        foreach (var field in collection.Fields.Where(f => f.Property is not null && access.CanUse(f, "read")))
        {
            var op = field.DirectusType switch
            {
                "string" or "text" => "_icontains",
                "integer" when int.TryParse(term, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "_eq",
                "bigInteger" when long.TryParse(term, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "_eq",
                "uuid" when Guid.TryParse(term, out _) => "_eq",
                _ => null,
            };
            if (op is not null)
            {
                parts.Add(OperatorTranslator.Translate(field, Expression.Property(instance, field.Property!), op, term));
            }
        }

        return Expressions.OrElse(parts);
    }
}
