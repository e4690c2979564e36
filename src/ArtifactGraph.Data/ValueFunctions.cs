using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using static ArtifactGraph.Data.JsonPathFunctions;

namespace ArtifactGraph.Data;

/// <summary>
/// Directus's <c>week()</c> and <c>count()</c> of a JSON value, for filters, sorts and groups, in SQL only. Both answer
/// as Directus on PostgreSQL does: the ISO week (1 to 53) of the UTC time, and the length of a JSON array (null for any
/// other value, where PostgreSQL's <c>json_array_length</c> would fail the whole query).
/// </summary>
public static class ValueFunctions
{
    /// <summary>The ISO 8601 week of the timestamp in UTC.</summary>
    public static int? IsoWeek(DateTime? value) => throw new InvalidOperationException("ValueFunctions.IsoWeek runs in SQL only.");

    /// <summary>The number of items of a JSON array; null for any other JSON value.</summary>
    public static int? JsonArrayLength(string? json) => throw new InvalidOperationException("ValueFunctions.JsonArrayLength runs in SQL only.");

    internal static void Register(ModelBuilder modelBuilder, bool sqlite, IRelationalTypeMappingSource types)
    {
        var text = types.FindMapping(typeof(string))!;
        var number = types.FindMapping(typeof(int))!;
        modelBuilder.HasDbFunction(typeof(ValueFunctions).GetMethod(nameof(IsoWeek))!).HasTranslation(args => sqlite
            // The Thursday of the date's ISO week lies in the week's year: its day of the year gives the week.
            ? Integer(Plus(Divide(Plus(Integer(Function("strftime", [Constant("%j", text), args[0], Constant("-3 days", text), Constant("weekday 4", text)], text), number), -1, number), 7, number), 1, number), number)
            : Integer(Function("date_part", [Constant("week", text), Function("timezone", [Constant("UTC", text), args[0]], args[0].TypeMapping!)], number), number));
        modelBuilder.HasDbFunction(typeof(ValueFunctions).GetMethod(nameof(JsonArrayLength))!).HasTranslation(args =>
        {
            if (sqlite)
            {
                var isArray = new CaseExpression(Function("json_type", [args[0]], text), [new CaseWhenClause(Constant("array", text), Function("json_array_length", [args[0]], number))], null);
                return new CaseExpression([new CaseWhenClause(Function("json_valid", [args[0]], number), isArray)], null);
            }

            var json = Function("to_json", [args[0]], text);
            return new CaseExpression(Function("json_typeof", [json], text), [new CaseWhenClause(Constant("array", text), Function("json_array_length", [json], number))], null);
        });
    }

    private static SqlExpression Integer(SqlExpression value, RelationalTypeMapping number)
        => new SqlUnaryExpression(System.Linq.Expressions.ExpressionType.Convert, value, typeof(int), number);

    private static SqlExpression Plus(SqlExpression left, int right, RelationalTypeMapping number)
        => new SqlBinaryExpression(System.Linq.Expressions.ExpressionType.Add, left, new SqlConstantExpression(right, number), typeof(int), number);

    private static SqlExpression Divide(SqlExpression left, int right, RelationalTypeMapping number)
        => new SqlBinaryExpression(System.Linq.Expressions.ExpressionType.Divide, left, new SqlConstantExpression(right, number), typeof(int), number);
}
