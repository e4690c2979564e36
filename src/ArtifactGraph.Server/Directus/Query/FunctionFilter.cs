using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Function filters, sorts and groups: <c>year(date_created)</c>, <c>week(date_created)</c>, <c>count(files)</c>,
/// <c>count(content)</c> (a JSON array's length) and their <c>_func</c> forms.
/// </summary>
internal static class FunctionFilter
{
    private static readonly MethodInfo IsoWeek = typeof(ValueFunctions).GetMethod(nameof(ValueFunctions.IsoWeek))!;
    private static readonly MethodInfo JsonArrayLength = typeof(ValueFunctions).GetMethod(nameof(ValueFunctions.JsonArrayLength))!;

    public static Expression Translate(FieldModel field, Expression instance, IReadOnlyDictionary<string, object?> functions)
        => Expressions.AndAlso(functions
            .Where(kv => kv.Value is not null)
            .Select(kv => OperatorTranslator.Translate(field, Apply(field, instance, kv.Key), FilterTranslator.AsObject(kv.Value, kv.Key))));

    /// <summary>The SQL-translatable expression for <c>fn(field)</c> on an entity.</summary>
    public static Expression Apply(FieldModel field, Expression instance, string function)
    {
        if (function == "count" && field.Kind == FieldKind.OneToMany)
        {
            var collection = Expression.Property(instance, field.CollectionNavigation!);
            return Expression.Convert(Expressions.Count(collection, field.Related!.EntityType), typeof(int?));
        }

        if (function == "count" && field.IsJson)
        {
            return Expression.Call(JsonArrayLength, Expression.Property(instance, field.Property!));
        }

        if (field.IsDateTime)
        {
            var member = Expression.Property(instance, field.Property!);
            if (function == "week")
            {
                return Expression.Call(IsoWeek, Expressions.AsNullable(member));
            }

            var value = Nullable.GetUnderlyingType(member.Type) is null ? (Expression)member : Expression.Property(member, "Value");
            Expression part = function switch
            {
                "year" => Expression.Property(value, nameof(DateTime.Year)),
                "month" => Expression.Property(value, nameof(DateTime.Month)),
                "day" => Expression.Property(value, nameof(DateTime.Day)),
                "hour" => Expression.Property(value, nameof(DateTime.Hour)),
                "minute" => Expression.Property(value, nameof(DateTime.Minute)),
                "second" => Expression.Property(value, nameof(DateTime.Second)),
                "weekday" => Expression.Convert(Expression.Property(value, nameof(DateTime.DayOfWeek)), typeof(int)),
                _ => throw DirectusException.InvalidQuery($"Unknown function \"{function}\""),
            };
            return Expression.Convert(part, typeof(int?));
        }

        throw DirectusException.InvalidQuery($"The \"{function}\" function is not supported on field \"{field.Name}\"");
    }
}
