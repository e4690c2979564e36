using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// graphql-js's <c>ValuesOfCorrectTypeRule</c> for one literal against one input type: the same errors, texts,
/// order and locations (missing required fields at the object, unknown fields at the field, bad scalars at the value).
/// </summary>
internal sealed class LiteralValueChecker(SourceText source)
{
    public List<GraphQLJsError> Check(GraphQLValue value, IGraphType type)
    {
        var errors = new List<GraphQLJsError>();
        Visit(value, type, errors);
        return errors;
    }

    private void Visit(GraphQLValue node, IGraphType locationType, List<GraphQLJsError> errors)
    {
        if (node is GraphQLVariable)
        {
            return;
        }

        if (node is GraphQLNullValue)
        {
            if (locationType is NonNullGraphType)
            {
                Report(errors, $"Expected value of type \"{GraphQLPrinter.Inspect(locationType)}\", found null.", node);
            }

            return;
        }

        var type = GraphQLPrinter.Nullable(locationType);
        switch (type)
        {
            case ListGraphType list when node is GraphQLListValue listValue:
                foreach (var item in listValue.Values ?? [])
                {
                    Visit(item, list.ResolvedType!, errors);
                }

                return;
            case ListGraphType list:
                Visit(node, list.ResolvedType!, errors);
                return;
            case IInputObjectGraphType inputObject when node is GraphQLObjectValue objectValue:
                VisitObject(objectValue, inputObject, errors);
                return;
            case IInputObjectGraphType:
                Report(errors, $"Expected value of type \"{GraphQLPrinter.Inspect(locationType)}\", found {GraphQLPrinter.Print(node)}.", node);
                return;
            case EnumerationGraphType enumType:
                VisitEnum(node, enumType, errors);
                return;
            case ScalarGraphType scalar:
                var expected = $"Expected value of type \"{GraphQLPrinter.Inspect(locationType)}\", found {GraphQLPrinter.Print(node)}";
                var message = ScalarLiteralMessages.IsBuiltIn(scalar.Name) ? ScalarLiteralMessages.Check(scalar, node)
                    : scalar is IScalarInputMessages custom ? custom.LiteralMessage(node) is { } reason ? $"{expected}; {reason}" : null
                    : scalar.CanParseLiteral(node) ? null : expected + ".";
                if (message is not null)
                {
                    Report(errors, message, node);
                }

                return;
        }
    }

    private void VisitObject(GraphQLObjectValue node, IInputObjectGraphType type, List<GraphQLJsError> errors)
    {
        var provided = (node.Fields ?? []).Select(f => f.Name.StringValue).ToHashSet(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (!provided.Contains(field.Name) && field.ResolvedType is NonNullGraphType && field.DefaultValue is null)
            {
                Report(errors,
                    $"Field \"{type.Name}.{field.Name}\" of required type \"{GraphQLPrinter.Inspect(field.ResolvedType)}\" was not provided.",
                    node);
            }
        }

        foreach (var objectField in node.Fields ?? [])
        {
            var name = objectField.Name.StringValue;
            var fieldDef = type.GetField(name);
            if (fieldDef?.ResolvedType is null)
            {
                var suggestions = Suggestions.List(name, type.Fields.Select(f => f.Name));
                Report(errors, $"Field \"{name}\" is not defined by type \"{type.Name}\"." + Suggestions.DidYouMean(suggestions), objectField);
                continue;
            }

            Visit(objectField.Value, fieldDef.ResolvedType, errors);
        }
    }

    private void VisitEnum(GraphQLValue node, EnumerationGraphType type, List<GraphQLJsError> errors)
    {
        var names = type.Values.Select(v => v.Name).ToList();
        if (node is not GraphQLEnumValue enumValue)
        {
            var printed = GraphQLPrinter.Print(node);
            Report(errors,
                $"Enum \"{type.Name}\" cannot represent non-enum value: {printed}." + Suggestions.DidYouMean(Suggestions.List(printed, names), "the enum value"),
                node);
            return;
        }

        var name = enumValue.Name.StringValue;
        if (!names.Contains(name, StringComparer.Ordinal))
        {
            Report(errors,
                $"Value \"{name}\" does not exist in \"{type.Name}\" enum." + Suggestions.DidYouMean(Suggestions.List(name, names), "the enum value"),
                node);
        }
    }

    private void Report(List<GraphQLJsError> errors, string message, ASTNode node)
        => errors.Add(new GraphQLJsError(message, source.At(node)));
}
