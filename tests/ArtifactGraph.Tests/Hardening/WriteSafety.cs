using System.Text.RegularExpressions;
using GraphQLParser;
using GraphQLParser.AST;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Decides, from the text alone, that a mutated mutation cannot change data, so that the suite may send it as an
/// administrator and still demand that every table is unchanged. A document is safe when the server cannot parse it
/// (it parses with the same GraphQLParser), or when every root field of every mutation is an update or delete whose
/// targets are literal keys that no row has, with no variables and no nested (relational) objects in its data.
/// Creates that still parse are never safe. Anything this check cannot prove is left out of the storm.
/// </summary>
internal static partial class WriteSafety
{
    public static bool CannotWrite(string document, KeyGuard keys)
    {
        GraphQLDocument parsed;
        try
        {
            parsed = Parser.Parse(document, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (Exception)
        {
            return true;
        }

        foreach (var operation in parsed.Definitions.OfType<GraphQLOperationDefinition>().Where(o => o.Operation == OperationType.Mutation))
        {
            foreach (var selection in operation.SelectionSet.Selections)
            {
                if (selection is not GraphQLField field || !TargetsOnlyMissingRows(field, keys))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool TargetsOnlyMissingRows(GraphQLField field, KeyGuard keys)
    {
        var name = field.Name.StringValue;
        if (!UpdateOrDelete().IsMatch(name))
        {
            return false;
        }

        var targeted = false;
        foreach (var argument in field.Arguments?.Items ?? [])
        {
            if (ContainsVariable(argument.Value))
            {
                return false;
            }

            switch (argument.Name.StringValue)
            {
                case "id":
                    targeted = true;
                    if (!IsMissingKey(argument.Value, keys))
                    {
                        return false;
                    }

                    break;
                case "ids":
                    targeted = true;
                    if (argument.Value is not GraphQLListValue list || !(list.Values ?? []).All(v => v is GraphQLNullValue || IsMissingKey(v, keys)))
                    {
                        return false;
                    }

                    break;
                case "data" when name.EndsWith("_batch", StringComparison.Ordinal):
                    targeted = true;
                    if (argument.Value is not GraphQLListValue items || !(items.Values ?? []).All(item => IsMissingRowPatch(item, keys)))
                    {
                        return false;
                    }

                    break;
                case "data":
                    if (argument.Value is GraphQLObjectValue data && (data.Fields ?? []).Any(f => ContainsObject(f.Value)))
                    {
                        return false;
                    }

                    break;
            }
        }

        return targeted;
    }

    private static bool IsMissingRowPatch(GraphQLValue item, KeyGuard keys)
        => item is GraphQLObjectValue patch
            && (patch.Fields ?? []).FirstOrDefault(f => f.Name.StringValue == "id") is { } id
            && IsMissingKey(id.Value, keys)
            && !(patch.Fields ?? []).Any(f => ContainsObject(f.Value));

    private static bool IsMissingKey(GraphQLValue value, KeyGuard keys) => value switch
    {
        GraphQLStringValue s => !keys.MayExist(s.Value.ToString()),
        GraphQLIntValue or GraphQLFloatValue => !keys.MayExist(((IHasValueNode)value).Value.ToString()),
        _ => false,
    };

    private static bool ContainsVariable(GraphQLValue value) => value switch
    {
        GraphQLVariable => true,
        GraphQLListValue list => (list.Values ?? []).Any(ContainsVariable),
        GraphQLObjectValue obj => (obj.Fields ?? []).Any(f => ContainsVariable(f.Value)),
        _ => false,
    };

    private static bool ContainsObject(GraphQLValue value) => value switch
    {
        GraphQLObjectValue => true,
        GraphQLListValue list => (list.Values ?? []).Any(ContainsObject),
        _ => false,
    };

    [GeneratedRegex("^(update|delete)_[A-Za-z0-9_]+_(item|items|batch)$")]
    private static partial Regex UpdateOrDelete();
}
