using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>Directus's <c>JSON</c> scalar: any JSON value, in and out.</summary>
public sealed class JsonScalar : ScalarGraphType
{
    public JsonScalar()
    {
        Name = "JSON";
        Description = "The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf).";
    }

    public override object? ParseLiteral(GraphQLValue value) => LiteralToObject(value);

    public override object? ParseValue(object? value) => value;

    /// <summary>
    /// Any literal but a number beyond a double (see <see cref="JsonNumber"/>) or a variable inside the literal (GraphQL.NET
    /// hands scalars no variable values): both fail validation, never the execution.
    /// </summary>
    public override bool CanParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLVariable => false,
        GraphQLIntValue or GraphQLFloatValue => IsNumberInRange(value),
        GraphQLListValue list => list.Values?.All(CanParseLiteral) ?? true,
        GraphQLObjectValue obj => obj.Fields?.All(f => CanParseLiteral(f.Value)) ?? true,
        _ => true,
    };

    public override bool CanParseValue(object? value) => true;

    public override object? Serialize(object? value) => value;

    private static bool IsNumberInRange(GraphQLValue number)
    {
        try
        {
            _ = LiteralToObject(number);
            return true;
        }
        catch (DirectusException)
        {
            return false;
        }
    }

    /// <summary>Whether a variable stands anywhere inside the literal.</summary>
    internal static bool HasVariable(GraphQLValue value) => value switch
    {
        GraphQLVariable => true,
        GraphQLListValue list => list.Values?.Any(HasVariable) ?? false,
        GraphQLObjectValue obj => obj.Fields?.Any(f => HasVariable(f.Value)) ?? false,
        _ => false,
    };

    internal static object? LiteralToObject(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLBooleanValue b => b.BoolValue,
        GraphQLIntValue i => JsonNumber.Parse(i.Value.Span),
        GraphQLFloatValue f => JsonNumber.Parse(f.Value.Span),
        GraphQLStringValue s => (string)s.Value,
        GraphQLEnumValue e => e.Name.StringValue,
        GraphQLListValue list => list.Values?.Select(LiteralToObject).ToList() ?? [],
        GraphQLObjectValue obj => obj.Fields?.ToDictionary(f => f.Name.StringValue, f => LiteralToObject(f.Value)) ?? [],
        _ => throw new InvalidOperationException($"Unsupported JSON literal {value.Kind}"),
    };
}
