using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Errors;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// Rewords GraphQL.NET's validation errors into graphql-js's texts and locations, working from the rule that
/// failed, the nodes it points at and what <see cref="TypeInfoRecorder"/> saw there. Errors it cannot map keep
/// GraphQL.NET's text with single quotes turned into double quotes.
/// </summary>
internal sealed class ValidationErrorTranslator(SourceText source, GraphQLDocument document, TypeInfoRecorder types)
{
    private readonly LiteralValueChecker _literals = new(source);

    public IReadOnlyList<GraphQLJsError> Translate(IEnumerable<ValidationError> errors)
    {
        var result = new List<GraphQLJsError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            foreach (var translated in TranslateOne(error) ?? [Fallback(error)])
            {
                var key = translated.Message + "|" + string.Join(";", translated.Locations);
                if (seen.Add(key))
                {
                    result.Add(translated);
                }
            }
        }

        return result;
    }

    private IReadOnlyList<GraphQLJsError>? TranslateOne(ValidationError error)
    {
        var nodes = error.Nodes?.ToList() ?? [];
        return error switch
        {
            FieldsOnCorrectTypeError => One(nodes, (GraphQLField f) => UnknownField(f)),
            KnownArgumentNamesError => One(nodes, (GraphQLArgument a) => UnknownArgument(a)),
            ArgumentsOfCorrectTypeError => Many(nodes, (GraphQLArgument a) => ArgumentValue(a)),
            DefaultValuesOfCorrectTypeError => Many(nodes, (GraphQLVariableDefinition v) => DefaultValue(v)),
            ProvidedNonNullArgumentsError => Many(nodes, (GraphQLField f) => MissingArguments(f)),
            KnownTypeNamesError => One(nodes, (GraphQLNamedType t) => UnknownType(t)),
            ScalarLeafsError => One(nodes, (GraphQLField f) => ScalarLeaf(f)),
            NoUnusedVariablesError => One(nodes, (GraphQLVariableDefinition v) => UnusedVariable(v)),
            NoUndefinedVariablesError => One(nodes, (GraphQLVariable v) => UndefinedVariable(v, nodes)),
            KnownFragmentNamesError => One(nodes, (GraphQLFragmentSpread s) =>
                new GraphQLJsError($"Unknown fragment \"{s.FragmentName.Name.StringValue}\".", source.At(s.FragmentName.Name))),
            NoUnusedFragmentsError => One(nodes, (GraphQLFragmentDefinition f) =>
                new GraphQLJsError($"Fragment \"{f.FragmentName.Name.StringValue}\" is never used.", source.At(f))),
            LoneAnonymousOperationError => One(nodes, (GraphQLOperationDefinition o) =>
                new GraphQLJsError("This anonymous operation must be the only defined operation.", source.At(o))),
            KnownDirectivesError => One(nodes, (GraphQLDirective d) => new GraphQLJsError($"Unknown directive \"@{d.Name.StringValue}\".", source.At(d))),
            VariablesAreInputTypesError => nodes.OfType<GraphQLVariableDefinition>().FirstOrDefault() is { } v ? NonInputVariable(v) : null,
            _ => null,
        };
    }

    private static IReadOnlyList<GraphQLJsError>? One<TNode>(List<ASTNode> nodes, Func<TNode, GraphQLJsError?> map)
        where TNode : ASTNode
        => nodes.OfType<TNode>().FirstOrDefault() is { } node && map(node) is { } error ? [error] : null;

    private static IReadOnlyList<GraphQLJsError>? Many<TNode>(List<ASTNode> nodes, Func<TNode, IReadOnlyList<GraphQLJsError>> map)
        where TNode : ASTNode
        => nodes.OfType<TNode>().FirstOrDefault() is { } node && map(node) is { Count: > 0 } errors ? errors : null;

    private GraphQLJsError? UnknownField(GraphQLField field)
    {
        if (types[field]?.ParentType?.GetNamedType() is not { } parent)
        {
            return null;
        }

        var name = field.Name.StringValue;
        var suggestion = "";
        if (parent is IAbstractGraphType abstractType)
        {
            var candidates = abstractType.PossibleTypes.Where(t => t.GetField(name) is not null).Select(t => t.Name).ToList();
            suggestion = Suggestions.DidYouMean(candidates, "to use an inline fragment on");
        }

        if (suggestion.Length == 0 && parent is IComplexGraphType complex and not IInputObjectGraphType)
        {
            suggestion = Suggestions.DidYouMean(Suggestions.List(name, complex.Fields.Select(f => f.Name)));
        }

        return new GraphQLJsError($"Cannot query field \"{name}\" on type \"{parent.Name}\"." + suggestion, source.At(field));
    }

    private GraphQLJsError? UnknownArgument(GraphQLArgument argument)
    {
        var name = argument.Name.StringValue;
        var info = types[argument];
        if (info?.Directive is { } directive)
        {
            var known = directive.Arguments?.Select(a => a.Name) ?? [];
            return new GraphQLJsError(
                $"Unknown argument \"{name}\" on directive \"@{directive.Name}\"." + Suggestions.DidYouMean(Suggestions.List(name, known)),
                source.At(argument));
        }

        if (info?.FieldDef is not { } field || info.ParentType is not { } parent)
        {
            return null;
        }

        var names = field.Arguments?.Select(a => a.Name) ?? [];
        return new GraphQLJsError(
            $"Unknown argument \"{name}\" on field \"{parent.Name}.{field.Name}\"." + Suggestions.DidYouMean(Suggestions.List(name, names)),
            source.At(argument));
    }

    private IReadOnlyList<GraphQLJsError> ArgumentValue(GraphQLArgument argument)
        => types[argument]?.Argument?.ResolvedType is { } type ? _literals.Check(argument.Value, type) : [];

    private IReadOnlyList<GraphQLJsError> DefaultValue(GraphQLVariableDefinition variable)
        => variable.DefaultValue is { } value && SchemaTypes.Resolve(types.Schema, variable.Type) is { } type
            ? _literals.Check(value, type)
            : [];

    private IReadOnlyList<GraphQLJsError> MissingArguments(GraphQLField field)
    {
        if (types[field]?.FieldDef is not { } def)
        {
            return [];
        }

        var provided = (field.Arguments?.Items ?? []).Select(a => a.Name.StringValue).ToHashSet(StringComparer.Ordinal);
        return (def.Arguments ?? [])
            .Where(a => a.ResolvedType is NonNullGraphType && a.DefaultValue is null && !provided.Contains(a.Name))
            .Select(a => new GraphQLJsError(
                $"Field \"{def.Name}\" argument \"{a.Name}\" of type \"{GraphQLPrinter.Inspect(a.ResolvedType)}\" is required, but it was not provided.",
                source.At(field)))
            .ToList();
    }

    private GraphQLJsError? UnknownType(GraphQLNamedType type)
    {
        var name = type.Name.StringValue;
        var known = types.Schema?.AllTypes.Select(t => t.Name) ?? [];
        return new GraphQLJsError($"Unknown type \"{name}\"." + Suggestions.DidYouMean(Suggestions.List(name, known)), source.At(type));
    }

    private GraphQLJsError? ScalarLeaf(GraphQLField field)
    {
        if (types[field]?.Type is not { } type)
        {
            return null;
        }

        var name = field.Name.StringValue;
        var typeText = GraphQLPrinter.Inspect(type);
        return field.SelectionSet is { } selection
            ? new GraphQLJsError($"Field \"{name}\" must not have a selection since type \"{typeText}\" has no subfields.", source.At(selection))
            : new GraphQLJsError(
                $"Field \"{name}\" of type \"{typeText}\" must have a selection of subfields. Did you mean \"{name} {{ ... }}\"?",
                source.At(field));
    }

    /// <summary>graphql-js leaves unknown types to <c>KnownTypeNamesRule</c>; GraphQL.NET reports them twice.</summary>
    private IReadOnlyList<GraphQLJsError> NonInputVariable(GraphQLVariableDefinition variable)
        => SchemaTypes.Resolve(types.Schema, variable.Type) is null
            ? []
            : [new GraphQLJsError(
                $"Variable \"${variable.Variable.Name.StringValue}\" cannot be non-input type \"{GraphQLPrinter.Print(variable.Type)}\".",
                source.At(variable.Type))];

    private GraphQLJsError UnusedVariable(GraphQLVariableDefinition variable)
    {
        var operation = document.Definitions.OfType<GraphQLOperationDefinition>()
            .FirstOrDefault(o => o.Variables?.Items.Contains(variable) == true);
        var name = variable.Variable.Name.StringValue;
        var message = operation?.Name is { } opName
            ? $"Variable \"${name}\" is never used in operation \"{opName.StringValue}\"."
            : $"Variable \"${name}\" is never used.";
        return new GraphQLJsError(message, source.At(variable));
    }

    private GraphQLJsError UndefinedVariable(GraphQLVariable variable, List<ASTNode> nodes)
    {
        var operation = nodes.OfType<GraphQLOperationDefinition>().FirstOrDefault();
        var name = variable.Name.StringValue;
        var message = operation?.Name is { } opName
            ? $"Variable \"${name}\" is not defined by operation \"{opName.StringValue}\"."
            : $"Variable \"${name}\" is not defined.";
        return operation is null
            ? new GraphQLJsError(message, source.At(variable))
            : new GraphQLJsError(message, source.At(variable), source.At(operation));
    }

    private static GraphQLJsError Fallback(ValidationError error)
        => new(error.Message.Replace('\'', '"'),
            (error.Locations ?? []).Select(l => new SourceLocation(l.Line, l.Column)).ToList());
}
