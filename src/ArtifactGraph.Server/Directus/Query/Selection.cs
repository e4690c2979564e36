using GraphQL;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>Reads which fields a selection set asks for, expanding fragments (used where the SQL depends on it).</summary>
public static class Selection
{
    public static IEnumerable<GraphQLField> Fields(IResolveFieldContext context, GraphQLSelectionSet? set)
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
                    foreach (var f in Fields(context, inline.SelectionSet))
                    {
                        yield return f;
                    }

                    break;
                case GraphQLFragmentSpread spread when context.Document.Definitions
                    .OfType<GraphQLFragmentDefinition>()
                    .FirstOrDefault(d => d.FragmentName.Name.Value == spread.FragmentName.Name.Value) is { } definition:
                    foreach (var f in Fields(context, definition.SelectionSet))
                    {
                        yield return f;
                    }

                    break;
            }
        }
    }
}
