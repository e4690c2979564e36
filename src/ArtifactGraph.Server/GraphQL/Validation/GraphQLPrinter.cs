using System.Globalization;
using System.Text;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>graphql-js's <c>print</c> for values and type references, and <c>inspect</c> for types, as used in messages.</summary>
internal static class GraphQLPrinter
{
    public static string Print(GraphQLValue value) => value switch
    {
        GraphQLVariable v => "$" + v.Name.StringValue,
        GraphQLIntValue i => i.Value.ToString(),
        GraphQLFloatValue f => f.Value.ToString(),
        GraphQLStringValue s => PrintString(s.Value.ToString()),
        GraphQLBooleanValue b => b.Value.ToString(),
        GraphQLNullValue => "null",
        GraphQLEnumValue e => e.Name.StringValue,
        GraphQLListValue l => "[" + string.Join(", ", (l.Values ?? []).Select(Print)) + "]",
        GraphQLObjectValue o => "{" + string.Join(", ", (o.Fields ?? []).Select(f => f.Name.StringValue + ": " + Print(f.Value))) + "}",
        _ => value.ToString() ?? "",
    };

    public static string Print(GraphQLType type) => type switch
    {
        GraphQLNamedType n => n.Name.StringValue,
        GraphQLListType l => "[" + Print(l.Type) + "]",
        GraphQLNonNullType nn => Print(nn.Type) + "!",
        _ => type.ToString() ?? "",
    };

    /// <summary><c>inspect(type)</c>: <c>[Int!]!</c> style.</summary>
    public static string Inspect(IGraphType? type) => type switch
    {
        null => "",
        NonNullGraphType nn => Inspect(nn.ResolvedType) + "!",
        ListGraphType l => "[" + Inspect(l.ResolvedType) + "]",
        _ => type.Name,
    };

    /// <summary>graphql-js <c>printString</c>: JSON-like quoting with \uXXXX for control characters.</summary>
    public static string PrintString(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    public static IGraphType Unwrap(IGraphType type) => type switch
    {
        NonNullGraphType nn => Unwrap(nn.ResolvedType!),
        ListGraphType l => Unwrap(l.ResolvedType!),
        _ => type,
    };

    public static IGraphType Nullable(IGraphType type) => type is NonNullGraphType nn ? nn.ResolvedType! : type;
}
