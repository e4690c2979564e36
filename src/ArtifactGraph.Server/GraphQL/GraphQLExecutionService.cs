using System.Text.Json;
using ArtifactGraph.Data.Resilience;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL.Direct;
using ArtifactGraph.Server.GraphQL.Validation;
using ArtifactGraph.Server.Http.Logging;
using ArtifactGraph.Server.Json;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using Microsoft.IO;
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
    DirectusModel model,
    ItemReader reader,
    ServerSettings settings,
    TimeProvider clock,
    ILogger<GraphQLExecutionService> logger)
{
    private static readonly GraphQLSerializer Serializer = new();
    private static readonly IValidationRule[] NoRules = [];

    private readonly DirectQueryPlanner planner = new(model, settings.MaxRelationalDepth);

    /// <summary>Parsed documents and the validations they passed (see <see cref="DocumentCache"/>).</summary>
    public DocumentCache Documents { get; } = new();

    /// <param name="streamable">
    /// Whether the caller can send an answer as it is written (<see cref="GraphQLOutcome.Streamed"/>): the HTTP endpoint
    /// can; a WebSocket message is one whole payload.
    /// </param>
    public async Task<GraphQLOutcome> ExecuteAsync(
        GraphQLRequest request, GraphQLScope scope, Accountability accountability, bool viaGet,
        IServiceProvider requestServices, string? ifMatch, CancellationToken cancellationToken, bool subscribable = false, bool streamable = false)
    {
        var source = new SourceText(request.Query);
        var cached = Documents.GetOrParse(request.Query, () => GraphQLDocumentParser.Parse(source, settings.GraphQLQueryTokenLimit));
        var document = cached.Document;
        var operation = OperationSelector.Select(document, request.OperationName);
        if (operation is not null)
        {
            requestServices.GetService<RequestLogEntry>()?.SetOperation(operation);
        }

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
        var userContext = new GraphQLUserContext(accountability, requestServices) { IfMatch = ifMatch, Subscribable = subscribable };

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
        var validated = cached.IsValidated(schema, introspection, operation);
        if (!validated && streamable && settings.GraphQLDirectReads && operation.Operation == OperationType.Query && MayStream(operation, inputs))
        {
            // A document's first request runs through the engine, which would build a large list whole in memory: one that
            // may be read in batches is validated here (as the engine would validate it) and answered directly.
            var validation = await validator.ValidateAsync(new ValidationOptions
            {
                Schema = schema, Document = document, Rules = rules, Operation = operation, UserContext = userContext,
                Variables = inputs, RequestServices = requestServices, CancellationToken = deadline.Token,
            });
            if (validation.IsValid)
            {
                cached.MarkValidated(schema, introspection, operation);
                validated = true;
            }
        }

        var options = new ExecutionOptions
        {
            Schema = schema,
            Document = document,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = inputs,
            // A document that passed every rule before, against this very schema, is not checked again (variables still are).
            ValidationRules = validated ? NoRules : rules,
            UserContext = userContext,
            RequestServices = requestServices,
            CancellationToken = deadline.Token,
            UnhandledExceptionDelegate = context =>
            {
                // A socket closed while its subscribe was starting: its services were disposed under the field's resolver.
                // Nobody is there to answer; that is the end of the operation, not a fault.
                var teardown = context.OriginalException is ObjectDisposedException && deadline.Token.IsCancellationRequested;
                if (context.OriginalException is not DirectusException and not OperationCanceledException && !teardown)
                {
                    logger.LogError(context.OriginalException, "Unexpected error in GraphQL field {Path}", context.FieldContext?.Path);
                }

                return Task.CompletedTask;
            },
        };

        ExecutionResult result;
        var isQuery = operation.Operation == OperationType.Query;
        using var reads = isQuery ? ReadRetries.Begin() : null;
        try
        {
            if (settings.GraphQLDirectReads && operation.Operation == OperationType.Query && cached.MayReadDirectly(schema, introspection, operation)
                && await TryDirectAsync(cached, schema, scope, introspection, operation, inputs,
                    new GraphQLUserContext(accountability, requestServices, primesJoinedLoaders: false), requestServices, streamable, deadline.Token) is { } direct)
            {
                return direct;
            }

            result = await executer.ExecuteAsync(options);
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            logger.LogWarning("GraphQL query {OperationName} cancelled after {Timeout} ms (GRAPHQL_QUERY_TIMEOUT)", request.OperationName, deadline.Milliseconds);
            throw deadline.Error();
        }

        if (isQuery && result.Errors?.Any(e => DatabaseFaults.IsUnavailable(e.InnerException)) == true)
        {
            // Reads are retried first (ReadRetryingExecutionStrategy); a query answers nothing useful without its database.
            // A mutation keeps its field errors: what it wrote before the fault must be answered.
            logger.LogWarning("GraphQL query {OperationName}: the database cannot be reached", request.OperationName);
            throw DirectusErrors.DatabaseUnavailable();
        }

        if (result.Executed && !validated)
        {
            cached.MarkValidated(schema, introspection, operation);
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

        if (RootType(schema, operation.Operation) is null)
        {
            // A caller whose schema has no mutations (the public role) sent one: graphql-js's request error, not a crash.
            var kind = operation.Operation.ToString().ToLowerInvariant();
            return GraphQLOutcome.Rejected([new GraphQLJsError($"Schema is not configured to execute {kind} operation.", source.At(operation))]);
        }

        return GraphQLOutcome.Executed(result);
    }

    /// <summary>
    /// Whether a root field of the operation asks for a list that may be larger than a batch (<see cref="Items.ItemBatches.Streams"/>):
    /// its <c>limit</c> (a literal or a variable) is -1 or above a batch, or it has none and the default limit is.
    /// </summary>
    private bool MayStream(GraphQLOperationDefinition operation, Inputs inputs)
    {
        foreach (var selection in operation.SelectionSet.Selections)
        {
            if (selection is not GraphQLField field)
            {
                continue;
            }

            object? limit = field.Arguments?.FirstOrDefault(a => a.Name.StringValue == "limit")?.Value switch
            {
                GraphQLIntValue value => int.TryParse(value.Value.Span, out var number) ? number : null,
                GraphQLVariable variable => inputs.TryGetValue(variable.Name.StringValue, out var value) ? value : null,
                _ => null,
            };
            var args = QueryArgs.None with { Limit = limit is int or long ? (int)Math.Clamp(Convert.ToInt64(limit, System.Globalization.CultureInfo.InvariantCulture), -1, int.MaxValue) : null };
            try
            {
                if (Items.ItemBatches.Streams(args, reader.Options))
                {
                    return true;
                }
            }
            catch (DirectusException)
            {
                // A limit the list refuses: its error comes from the usual path.
            }
        }

        return false;
    }

    private static IObjectGraphType? RootType(ISchema schema, OperationType operation) => operation switch
    {
        OperationType.Mutation => schema.Mutation,
        OperationType.Subscription => schema.Subscription,
        _ => schema.Query,
    };

    /// <summary>
    /// Answers a validated read query through <see cref="DirectQueryExecutor"/> when the planner takes it; null (and
    /// nothing done that matters) when it does not, or when the answer would not be plain data. A read that failed (in
    /// the database) is answered as that root field's error, as the engine would, and not run again.
    /// </summary>
    private async Task<GraphQLOutcome?> TryDirectAsync(
        DocumentCache.Entry cached, ISchema schema, GraphQLScope scope, bool introspection, GraphQLOperationDefinition operation, Inputs inputs,
        GraphQLUserContext userContext, IServiceProvider requestServices, bool streamable, CancellationToken cancellationToken)
    {
        // Variables and arguments coerced as GraphQL.NET coerces them; the document's rules already passed.
        var coerced = await validator.ValidateAsync(new ValidationOptions
        {
            Schema = schema, Document = cached.Document, Rules = NoRules, Operation = operation, UserContext = userContext,
            Variables = inputs, RequestServices = requestServices, CancellationToken = cancellationToken,
        });
        if (!coerced.IsValid)
        {
            return null;
        }

        if (planner.Plan(schema, scope, cached.Document, operation, coerced, userContext.Accountability.Access, out var refusedForGood) is not { } plan)
        {
            if (refusedForGood)
            {
                cached.RefuseDirect(schema, introspection, operation);
            }

            return null;
        }

        try
        {
            // A streamed answer's first batches are read here, within GRAPHQL_QUERY_TIMEOUT; the rest as it is written.
            var answer = await DirectQueryExecutor.AnswerAsync(plan, userContext, reader, Http.GraphQLResponseWriter.SerializerOptions, streamable, cancellationToken);
            return answer.Streamed is { } streamed ? GraphQLOutcome.Direct(streamed) : GraphQLOutcome.Direct(answer.Body!);
        }
        catch (DirectQueryUnsupportedException)
        {
            return null;
        }
        catch (DirectQueryReadException failed) when (DatabaseFaults.IsUnavailable(failed.InnerException))
        {
            logger.LogWarning(failed.InnerException, "GraphQL query: the database cannot be reached");
            throw DirectusErrors.DatabaseUnavailable();
        }
        catch (DirectQueryReadException failed)
        {
            logger.LogError(failed.InnerException, "Unexpected error in GraphQL field {Path}", failed.Root.ResponseKey);
            return GraphQLOutcome.Executed(FieldFailure(failed, cached.Document));
        }
        catch (DirectusException ex)
        {
            // A Directus error (a value the read refuses): the resolver gives it as the field's error, with the other fields.
            logger.LogDebug(ex, "Direct read refused; running the query through GraphQL.NET");
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Writing the answer failed (nothing is read then): a bug of the direct path, which the engine does not share.
            logger.LogWarning(ex, "Direct answer failed; running the query through GraphQL.NET");
            return null;
        }
    }

    /// <summary>
    /// What the engine answers when a root field's resolver throws: the field's error, and <c>data</c> null (the lists
    /// are non-null; for a <c>_by_id</c> field the engine would keep the other root fields, which were not read).
    /// </summary>
    private static ExecutionResult FieldFailure(DirectQueryReadException failed, GraphQLDocument document)
    {
        var error = new ExecutionError($"Error trying to resolve field '{failed.Root.Node?.Name.StringValue}'.", failed.InnerException)
        {
            Path = [failed.Root.ResponseKey],
        };
        if (failed.Root.Node is { } node)
        {
            error.AddLocation(node, document);
        }

        return new ExecutionResult { Executed = true, Errors = [error] };
    }

    /// <summary>GraphQL.NET's reader, given the value <see cref="ClientJson"/> checked (repeated keys resolved, numbers in range).</summary>
    private static Inputs ReadVariables(JsonElement json) => Serializer.ReadNode<Inputs>(ClientJson.Checked(json)) ?? Inputs.Empty;

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
