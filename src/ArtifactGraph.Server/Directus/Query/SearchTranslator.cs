using System.Globalization;
using System.Linq.Expressions;
using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Directus <c>search</c>: an OR over the collection's text columns (case-insensitive contains), its numeric columns
/// when the term is a number, and its uuid columns (keys) when the term is a UUID. JSON, dates and booleans are not searched.
/// </summary>
internal static class SearchTranslator
{
    private static readonly System.Reflection.MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly System.Reflection.MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    public static Expression Build(CollectionModel collection, Expression instance, string term)
    {
        var parts = new List<Expression>();
        var lowered = term.ToLowerInvariant();
        foreach (var field in collection.Fields.Where(f => f.Property is not null))
        {
            var member = Expression.Property(instance, field.Property!);
            switch (field.DirectusType)
            {
                case "string" or "text":
                    parts.Add(Expression.AndAlso(
                        Expressions.NotNull(member),
                        Expression.Call(Expression.Call(member, ToLower), Contains, Expressions.Parameter(lowered, typeof(string)))));
                    break;
                case "integer" when int.TryParse(term, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i):
                    parts.Add(Expression.Equal(Expressions.AsNullable(member), Expression.Convert(Expressions.Parameter(i, typeof(int)), typeof(int?))));
                    break;
                case "bigInteger" when long.TryParse(term, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l):
                    parts.Add(Expression.Equal(Expressions.AsNullable(member), Expression.Convert(Expressions.Parameter(l, typeof(long)), typeof(long?))));
                    break;
                case "uuid" when Guid.TryParse(term, out var g):
                    parts.Add(Expression.Equal(Expressions.AsNullable(member), Expression.Convert(Expressions.Parameter(g, typeof(Guid)), typeof(Guid?))));
                    break;
            }
        }

        return Expressions.OrElse(parts);
    }
}
