using System.Text.Json;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// Runs one request as Directus's <c>GraphQLService</c> does: parse (token limit), GET-only-queries, validate,
/// coerce variables, execute. Parse and validation failures throw <see cref="GraphQLValidationException"/>.
/// </summary>
public sealed class GraphQLExecutionService(
    IDirectusSchemaProvider schemas,
    IDocumentExecuter executer,
    IDocumentValidator validator,
    ServerSettings settings,
    TimeProvider clock,
    ILogger<GraphQLExecutionService> logger)
{
    private static readonly GraphQLSerializer Serializer = new();

    public async Task<GraphQLOutcome> ExecuteAsync(
        GraphQLRequest request, GraphQLScope scope, Accountability accountability, bool viaGet,
        IServiceProvider requestServices, string? ifMatch, CancellationToken cancellationToken)
    {
        var source = new SourceText(request.Query);
        var document = GraphQLDocumentParser.Parse(source, settings.GraphQLQueryTokenLimit);
        var operation = OperationSelector.Select(document, request.OperationName);
        if (viaGet && operation?.Operation != OperationType.Query)
        {
            throw DirectusException.MethodNotAllowed("GET", "POST");
        }

        var schema = schemas.GetSchema(scope, accountability);
        schema.Initialize();
        var recorder = new TypeInfoRecorder();
        var introspection = settings.GraphQLIntrospection || accountability.IsAdmin;
        var rules = DocumentValidator.CoreRules.Append(recorder).ToList();
        if (!introspection)
        {
            rules.Add(NoSchemaIntrospection.Instance);
        }

        // graphql-js looks each variable up by name, so variables that are not an object (GET `variables=[1]`) provide none.
        var inputs = request.Variables is { ValueKind: JsonValueKind.Object } json ? ReadVariables(json) : Inputs.Empty;
        var userContext = new GraphQLUserContext(accountability, requestServices) { IfMatch = ifMatch };

        if (operation is null)
        {
            var first = document.Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault();
            if (first is not null)
            {
                var validation = await validator.ValidateAsync(new ValidationOptions
                {
                    Schema = schema, Document = document, Rules = rules, Operation = first, UserContext = userContext,
                    Variables = Inputs.Empty, RequestServices = requestServices, CancellationToken = cancellationToken,
                });
                ThrowIfInvalid(validation.Errors.OfType<ValidationError>(), source, document, recorder, introspection);
            }

            return GraphQLOutcome.Rejected([OperationSelector.Failure(document, request.OperationName)]);
        }

        using var deadline = new QueryDeadline(operation.Operation, settings.GraphQLQueryTimeout, clock, cancellationToken);
        var options = new ExecutionOptions
        {
            Schema = schema,
            Document = document,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = inputs,
            ValidationRules = rules,
            UserContext = userContext,
            RequestServices = requestServices,
            CancellationToken = deadline.Token,
            UnhandledExceptionDelegate = context =>
            {
                if (context.OriginalException is not DirectusException and not OperationCanceledException)
                {
                    logger.LogError(context.OriginalException, "Unexpected error in GraphQL field {Path}", context.FieldContext?.Path);
                }

                return Task.CompletedTask;
            },
        };

        ExecutionResult result;
        try
        {
            result = await executer.ExecuteAsync(options);
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            logger.LogWarning("GraphQL query {OperationName} cancelled after {Timeout} ms (GRAPHQL_QUERY_TIMEOUT)", request.OperationName, deadline.Milliseconds);
            throw deadline.Error();
        }

        if (!result.Executed && result.Errors?.OfType<ValidationError>().ToList() is { Count: > 0 } validationErrors)
        {
            ThrowIfInvalid(validationErrors.Where(e => e is not InvalidVariableError), source, document, recorder, introspection);
            var coercion = new VariableCoercionChecker(source, schema).Check(operation, request.Variables);
            return GraphQLOutcome.Rejected(coercion.Count > 0
                ? coercion
                : validationErrors.Select(e => new GraphQLJsError(e.Message.Replace('\'', '"'),
                    (e.Locations ?? []).Select(l => new SourceLocation(l.Line, l.Column)).ToList())).ToList());
        }

        return GraphQLOutcome.Executed(result);
    }

    private static Inputs ReadVariables(JsonElement json)
    {
        try
        {
            return Serializer.ReadNode<Inputs>(json) ?? Inputs.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException { InnerException: InvalidOperationException })
        {
            throw DirectusException.InvalidPayload("The variables hold a string with an unpaired surrogate escape");
        }
    }

    /// <param name="suggest">
    /// False when introspection is refused to the caller: then, as Directus's <c>BlockFieldSuggestionsRule</c> does, no
    /// message says "Did you mean …?", which would let a client rebuild the schema by guessing names.
    /// </param>
    private static void ThrowIfInvalid(
        IEnumerable<ValidationError> errors, SourceText source, GraphQLDocument document, TypeInfoRecorder recorder, bool suggest)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            var translated = new ValidationErrorTranslator(source, document, recorder).Translate(list);
            throw new GraphQLValidationException(suggest ? translated : translated.Select(Suggestions.Without).ToList());
        }
    }
}
