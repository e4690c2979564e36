using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>Turns offsets in the document into graphql-js line/column pairs (lines split at \r\n, \r or \n).</summary>
internal sealed class SourceText(string text)
{
    public string Text { get; } = text;

    public SourceLocation At(int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < Text.Length; i++)
        {
            if (Text[i] == '\n' || (Text[i] == '\r' && (i + 1 >= Text.Length || Text[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourceLocation(line, offset - lineStart + 1);
    }

    public SourceLocation At(ASTNode node) => At(node.Location.Start);
}
