using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactGraph.Data;

/// <summary>
/// A value inside a JSON column, for Directus's <c>_json</c> filter, in SQL only. <c>path</c> is a constant in the form
/// <c>$."key"[0]."other"</c> (keys quoted, <c>"</c> and <c>\</c> escaped). PostgreSQL reads it with
/// <c>json_extract_path_text</c> and <c>jsonb_path_query_first</c>, SQLite with <c>json_extract</c> and <c>json_type</c>.
/// </summary>
public static partial class JsonPathFunctions
{
    /// <summary>The value as text (a number's digits, a string without quotes); null when missing or JSON null.</summary>
    public static string? Text(string? json, string path) => throw new InvalidOperationException("JsonPathFunctions.Text runs in SQL only.");

    /// <summary>The value when it is a JSON number; null otherwise.</summary>
    public static double? Number(string? json, string path) => throw new InvalidOperationException("JsonPathFunctions.Number runs in SQL only.");

    internal static void Register(ModelBuilder modelBuilder, bool sqlite, IRelationalTypeMappingSource types)
    {
        var text = types.FindMapping(typeof(string))!;
        var number = types.FindMapping(typeof(double))!;
        modelBuilder.HasDbFunction(typeof(JsonPathFunctions).GetMethod(nameof(Text))!).HasTranslation(args =>
        {
            var path = Path(args[1]);
            return sqlite
                ? new SqlUnaryExpression(System.Linq.Expressions.ExpressionType.Convert, Function("json_extract", [args[0], Constant(path, text)], text), typeof(string), text)
                : Function("json_extract_path_text", [Function("to_json", [args[0]], text), .. Segments(path).Select(s => Constant(s, text))], text);
        });
        modelBuilder.HasDbFunction(typeof(JsonPathFunctions).GetMethod(nameof(Number))!).HasTranslation(args =>
        {
            var path = Path(args[1]);
            if (!sqlite)
            {
                var first = Function("jsonb_path_query_first", [Function("to_jsonb", [args[0]], text), Constant(path + " ? (@.type() == \"number\")", text)], text);
                return new SqlUnaryExpression(System.Linq.Expressions.ExpressionType.Convert, first, typeof(double), number);
            }

            var value = Function("json_extract", [args[0], Constant(path, text)], number);
            var kind = Function("json_type", [args[0], Constant(path, text)], text);
            return new CaseExpression(kind, [new CaseWhenClause(Constant("integer", text), value), new CaseWhenClause(Constant("real", text), value)], null);
        });
    }

    private static string Path(SqlExpression argument)
        => argument is SqlConstantExpression { Value: string path } ? path : throw new InvalidOperationException("A JSON path must be a constant.");

    /// <summary>The keys and indexes of a path, for PostgreSQL's <c>json_extract_path_text</c>.</summary>
    private static IEnumerable<string> Segments(string path)
        => Segment().Matches(path).Select(m => m.Groups[1].Success ? Regex.Unescape(m.Groups[1].Value) : m.Groups[2].Value);

    internal static SqlFunctionExpression Function(string name, SqlExpression[] args, RelationalTypeMapping mapping)
        => new(name, args, nullable: true, argumentsPropagateNullability: args.Select(_ => false), mapping.ClrType, mapping);

    internal static SqlConstantExpression Constant(string value, RelationalTypeMapping mapping) => new(value, mapping);

    [GeneratedRegex(@"\.""((?:[^""\\]|\\.)*)""|\[(\d+)\]")]
    private static partial Regex Segment();
}
