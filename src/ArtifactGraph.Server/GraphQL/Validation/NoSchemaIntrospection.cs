using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// graphql-js's <c>NoSchemaIntrospectionCustomRule</c>, which Directus adds when <c>GRAPHQL_INTROSPECTION</c> is false:
/// every field whose type is an introspection type (<c>__schema</c>, <c>__type</c> and the fields inside them, not
/// <c>__typename</c>) is a validation error with graphql-js's message.
/// </summary>
internal sealed class NoSchemaIntrospection : ValidationRuleBase
{
    public static readonly NoSchemaIntrospection Instance = new();

    private static readonly MatchingNodeVisitor<GraphQLField> Visitor = new((field, context) =>
    {
        if (context.TypeInfo.GetLastType()?.GetNamedType() is { } type && type.Name.StartsWith("__", StringComparison.Ordinal))
        {
            context.ReportError(new ValidationError(context.Document.Source, null, Message(field.Name.StringValue), field));
        }
    });

    public static string Message(string field)
        => $"GraphQL introspection has been disabled, but the requested query contained the field \"{field}\".";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);
}
