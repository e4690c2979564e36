using System.Text.Json;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// A custom scalar whose <c>parseLiteral</c>/<c>parseValue</c> throw with a message, as Directus's scalars do; graphql-js
/// adds it to its own (<c>Expected value of type "X", found "a"; …</c> for a literal, <c>Expected type "X". …</c> for a
/// variable).
/// </summary>
public interface IScalarInputMessages
{
    /// <summary>Why the literal is refused; null when it is fine.</summary>
    string? LiteralMessage(GraphQLValue node);

    /// <summary>Why the JSON variable value is refused; null when it is fine.</summary>
    string? ValueMessage(JsonElement value);
}
