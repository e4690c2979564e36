using System.Text.Json;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// graphql-js's <c>coerceVariableValues</c> messages (<c>Variable "$n" got invalid value 5; String cannot represent a
/// non string value: 5</c>), recomputed from the raw JSON variables when GraphQL.NET rejects them. Like graphql-js's
/// <c>execute</c> (<c>maxErrors: 50</c>) it stops after 50 errors, so a list of 100,000 bad items is not 100,000 errors.
/// </summary>
internal sealed class VariableCoercionChecker(SourceText source, ISchema schema)
{
    private const int MaxErrors = 50;

    public List<GraphQLJsError> Check(GraphQLOperationDefinition operation, JsonElement? variables)
    {
        var errors = new ErrorList();
        try
        {
            CheckAll(operation, variables, errors);
        }
        catch (TooManyErrorsException)
        {
            errors.Items.Add(new GraphQLJsError("Too many errors processing variables, error limit reached. Execution aborted."));
        }

        return errors.Items;
    }

    private void CheckAll(GraphQLOperationDefinition operation, JsonElement? variables, ErrorList errors)
    {
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var name = definition.Variable.Name.StringValue;
            if (SchemaTypes.Resolve(schema, definition.Type) is not { } type)
            {
                continue;
            }

            var typeText = GraphQLPrinter.Inspect(type);
            var location = source.At(definition);
            JsonElement value = default;
            var present = variables is { ValueKind: JsonValueKind.Object } vars && vars.TryGetProperty(name, out value);
            if (!present)
            {
                if (definition.DefaultValue is null && type is NonNullGraphType)
                {
                    errors.Add(new GraphQLJsError($"Variable \"${name}\" of required type \"{typeText}\" was not provided.", location));
                }

                continue;
            }

            if (value.ValueKind == JsonValueKind.Null && type is NonNullGraphType)
            {
                errors.Add(new GraphQLJsError($"Variable \"${name}\" of non-null type \"{typeText}\" must not be null.", location));
                continue;
            }

            Coerce(value, type, [], (path, invalid, message) =>
            {
                var prefix = $"Variable \"${name}\" got invalid value {JsInspect.Inspect(invalid)}";
                if (path.Count > 0)
                {
                    prefix += $" at \"{name}{string.Concat(path.Select(p => p is int i ? $"[{i}]" : $".{p}"))}\"";
                }

                errors.Add(new GraphQLJsError(prefix + "; " + message, location));
            });
        }
    }

    private static void Coerce(JsonElement value, IGraphType type, List<object> path, Action<List<object>, JsonElement, string> onError)
    {
        if (type is NonNullGraphType nonNull)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                onError(path, value, $"Expected non-nullable type \"{GraphQLPrinter.Inspect(type)}\" not to be null.");
                return;
            }

            Coerce(value, nonNull.ResolvedType!, path, onError);
            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        switch (type)
        {
            case ListGraphType list when value.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Coerce(item, list.ResolvedType!, [.. path, index++], onError);
                }

                return;
            case ListGraphType list:
                Coerce(value, list.ResolvedType!, path, onError);
                return;
            case IInputObjectGraphType inputObject:
                CoerceObject(value, inputObject, path, onError);
                return;
            case EnumerationGraphType enumType:
                var names = enumType.Values.Select(v => v.Name).ToList();
                if (value.ValueKind != JsonValueKind.String)
                {
                    var text = JsInspect.Inspect(value);
                    onError(path, value, $"Enum \"{enumType.Name}\" cannot represent non-string value: {text}."
                        + Suggestions.DidYouMean(Suggestions.List(text, names), "the enum value"));
                }
                else if (!names.Contains(value.GetString()!, StringComparer.Ordinal))
                {
                    onError(path, value, $"Value \"{value.GetString()}\" does not exist in \"{enumType.Name}\" enum."
                        + Suggestions.DidYouMean(Suggestions.List(value.GetString()!, names), "the enum value"));
                }

                return;
            case ScalarGraphType scalar when ScalarValueMessages.Check(scalar.Name, value) is { } message:
                onError(path, value, message);
                return;
            case IScalarInputMessages custom when custom.ValueMessage(value) is { } reason:
                onError(path, value, $"Expected type \"{((IGraphType)custom).Name}\". {reason}");
                return;
        }
    }

    private static void CoerceObject(JsonElement value, IInputObjectGraphType type, List<object> path, Action<List<object>, JsonElement, string> onError)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            onError(path, value, $"Expected type \"{type.Name}\" to be an object.");
            return;
        }

        foreach (var field in type.Fields)
        {
            if (!value.TryGetProperty(field.Name, out var fieldValue))
            {
                if (field.DefaultValue is null && field.ResolvedType is NonNullGraphType)
                {
                    onError(path, value, $"Field \"{field.Name}\" of required type \"{GraphQLPrinter.Inspect(field.ResolvedType)}\" was not provided.");
                }

                continue;
            }

            Coerce(fieldValue, field.ResolvedType!, [.. path, field.Name], onError);
        }

        foreach (var property in value.EnumerateObject())
        {
            if (type.GetField(property.Name) is null)
            {
                var suggestions = Suggestions.List(property.Name, type.Fields.Select(f => f.Name));
                onError(path, value, $"Field \"{property.Name}\" is not defined by type \"{type.Name}\"." + Suggestions.DidYouMean(suggestions));
            }
        }
    }

    /// <summary>graphql-js's <c>onError</c>: the error past the limit aborts the check.</summary>
    private sealed class ErrorList
    {
        public List<GraphQLJsError> Items { get; } = [];

        public void Add(GraphQLJsError error)
        {
            if (Items.Count >= MaxErrors)
            {
                throw new TooManyErrorsException();
            }

            Items.Add(error);
        }
    }

    private sealed class TooManyErrorsException : Exception;
}
