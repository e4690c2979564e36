using System.Text.RegularExpressions;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// Parses a document as Directus does (graphql-js <c>parse</c> with <c>maxTokens</c>): syntax errors and the token
/// limit become <see cref="GraphQLValidationException"/> with graphql-js's texts. The parser's nesting limit (which
/// graphql-js does not have; it keeps a deeply nested document from exhausting the stack) is reported the same way.
/// </summary>
internal static partial class GraphQLDocumentParser
{
    public static GraphQLDocument Parse(SourceText source, int maxTokens)
    {
        CheckTokenLimit(source, maxTokens);
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(source.Text, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException ex)
        {
            throw new GraphQLValidationException(
                new GraphQLJsError("Syntax Error: " + Reword(ex.Description), new SourceLocation(ex.Location.Line, ex.Location.Column)));
        }

        if (document.Definitions.Count == 0)
        {
            throw new GraphQLValidationException(new GraphQLJsError("Syntax Error: Unexpected <EOF>.", source.At(source.Text.Length)));
        }

        return document;
    }

    /// <summary>graphql-js counts every token but comments and EOF and stops at the first one past the limit.</summary>
    private static void CheckTokenLimit(SourceText source, int maxTokens)
    {
        var count = 0;
        var position = 0;
        try
        {
            while (true)
            {
                var token = Lexer.Lex(source.Text, position);
                if (token.Kind == TokenKind.EOF)
                {
                    return;
                }

                position = token.End;
                if (token.Kind == TokenKind.COMMENT)
                {
                    continue;
                }

                if (++count > maxTokens)
                {
                    throw new GraphQLValidationException(new GraphQLJsError(
                        $"Syntax Error: Document contains more than {maxTokens} tokens. Parsing aborted.", source.At(token.Start)));
                }
            }
        }
        catch (GraphQLSyntaxErrorException)
        {
            // A lexical error before the limit: the parser reports it.
        }
    }

    /// <summary>GraphQLParser's descriptions in graphql-js's words (token descriptions, final period).</summary>
    internal static string Reword(string description)
    {
        var text = description;
        var semicolon = text.IndexOf("; for more information", StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            text = text[..semicolon];
        }

        var expected = ExpectedFound().Match(text);
        if (expected.Success)
        {
            var found = TokenDescription(expected.Groups["found"].Value);
            var wanted = expected.Groups["expected"].Value;
            return wanted.Contains('/', StringComparison.Ordinal)
                ? $"Unexpected {found}."
                : $"Expected {KindDescription(wanted)}, found {found}.";
        }

        var unexpected = UnexpectedToken().Match(text);
        if (unexpected.Success)
        {
            return $"Unexpected {TokenDescription(unexpected.Groups["found"].Value)}.";
        }

        var escape = BadEscape().Match(text);
        if (escape.Success)
        {
            return $"Invalid character escape sequence: \"{escape.Groups["seq"].Value}\".";
        }

        var gotChar = ExpectedDigit().Match(text);
        if (gotChar.Success)
        {
            return text.TrimEnd('.') + ".";
        }

        var inString = CharInString().Match(text);
        if (inString.Success)
        {
            return $"Invalid character within String: U+{inString.Groups["hex"].Value.ToUpperInvariant()}.";
        }

        return text.EndsWith('.') ? text : text + ".";
    }

    private static string KindDescription(string kind) => kind switch
    {
        "Name" or "Int" or "Float" or "String" or "BlockString" => kind,
        "EOF" => "<EOF>",
        _ => kind.StartsWith('"') ? kind : $"\"{kind}\"",
    };

    private static string TokenDescription(string token)
    {
        var space = token.IndexOf(' ', StringComparison.Ordinal);
        var kind = space < 0 ? token : token[..space];
        return kind is "Name" or "Int" or "Float" or "String" or "BlockString" or "EOF"
            ? KindDescription(kind) + (space < 0 ? "" : token[space..])
            : KindDescription(token);
    }

    [GeneratedRegex("^Expected (?<expected>.+?), found (?<found>.+)$")]
    private static partial Regex ExpectedFound();

    [GeneratedRegex("^Unexpected (?<found>.+)$")]
    private static partial Regex UnexpectedToken();

    [GeneratedRegex(@"^Invalid character escape sequence: (?<seq>\\.*?)\.?$")]
    private static partial Regex BadEscape();

    [GeneratedRegex("^Invalid number, expected digit but got: ")]
    private static partial Regex ExpectedDigit();

    [GeneratedRegex(@"^Invalid character within String: \\u(?<hex>[0-9A-Fa-f]{4})\.?$")]
    private static partial Regex CharInString();
}
