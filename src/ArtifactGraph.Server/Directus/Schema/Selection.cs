using GraphQL;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>Reads which fields a selection set asks for, expanding fragments (used where the SQL depends on it).</summary>
public static class Selection
{
    public static IEnumerable<GraphQLField> Fields(IResolveFieldContext context, GraphQLSelectionSet? set) => Fields(context.Document, set);

    public static IEnumerable<GraphQLField> Fields(GraphQLDocument document, GraphQLSelectionSet? set)
    {
        if (set is null)
        {
            yield break;
        }

        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    yield return field;
                    break;
                case GraphQLInlineFragment inline:
                    foreach (var f in Fields(document, inline.SelectionSet))
                    {
                        yield return f;
                    }

                    break;
                case GraphQLFragmentSpread spread when document.Definitions
                    .OfType<GraphQLFragmentDefinition>()
                    .FirstOrDefault(d => d.FragmentName.Name.Value == spread.FragmentName.Name.Value) is { } definition:
                    foreach (var f in Fields(document, definition.SelectionSet))
                    {
                        yield return f;
                    }

                    break;
            }
        }
    }
}
