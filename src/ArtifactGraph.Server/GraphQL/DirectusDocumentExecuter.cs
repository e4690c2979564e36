using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// GraphQL.NET's executer, with mutations run as Directus runs them: each root field completely (its nested
/// relations included) before the next one starts, so a mutation's answer shows the data as that mutation left it.
/// A subscription sent over HTTP runs as graphql-js's <c>execute</c> runs it: its root fields resolved like a query's
/// (no event stream), which gives Directus's <c>{"data":{"tasks_mutated":null}}</c> rather than an empty answer; over
/// WebSocket it is an event stream (<see cref="Subscriptions.GraphQLWebSocket"/>).
/// </summary>
public sealed class DirectusDocumentExecuter : DocumentExecuter
{
    protected override IExecutionStrategy SelectExecutionStrategy(ExecutionContext context) => context.Operation.Operation switch
    {
        OperationType.Mutation => MutationExecutionStrategy.Instance,
        OperationType.Subscription when context.UserContext is GraphQLUserContext { Subscribable: true } => SubscriptionEventStrategy.Instance,
        OperationType.Subscription => ParallelExecutionStrategy.Instance,
        _ => base.SelectExecutionStrategy(context),
    };
}

/// <summary>
/// GraphQL.NET's subscription strategy, with each event's fields resolved in the read state its item was read in
/// (<see cref="Subscriptions.MutatedEvent.Read"/>): the batch's shared loaders already hold the relations, so the
/// subscriber's selection costs no statement of its own. Subscribers that share the read (the same permissions, the
/// same subscription field of the same cached document, the same variables) share the answer too: the first to get
/// there executes it, the others take its rendered bytes (a thousand subscribers, one execution per event).
/// </summary>
public sealed class SubscriptionEventStrategy : SubscriptionExecutionStrategy
{
    public static new SubscriptionEventStrategy Instance { get; } = new();

    protected override async ValueTask<ExecutionResult> ProcessDataAsync(ExecutionContext context, ExecutionNode node, object? value)
    {
        if (value is not Subscriptions.MutatedEvent { Read: { } read, Rendered: { } shared } e || context.UserContext is not GraphQLUserContext user)
        {
            return await base.ProcessDataAsync(context, node, value);
        }

        var slot = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = shared.GetOrAdd(e.Sequence, slot);
        if (!ReferenceEquals(first, slot) && await first.Task is { } body)
        {
            return new RenderedExecutionResult(body);
        }

        // The context is this event's own copy (GraphQL.NET duplicates it per event).
        context.UserContext = user.WithRead(read);
        ExecutionResult? result = null;
        try
        {
            result = await base.ProcessDataAsync(context, node, value);
            return result;
        }
        finally
        {
            // An answer with errors is not shared: errors are shaped for each caller.
            slot.TrySetResult(result is { Errors: null or { Count: 0 }, Data: not null }
                ? Http.GraphQLResponseWriter.Render([], result)
                : null);
        }
    }
}

/// <summary>An event's answer another subscriber executed and rendered (see <see cref="SubscriptionEventStrategy"/>).</summary>
public sealed class RenderedExecutionResult : ExecutionResult
{
    public RenderedExecutionResult(byte[] body)
    {
        Body = body;
        Executed = true;
    }

    public byte[] Body { get; }
}

/// <summary>
/// GraphQL.NET's serial strategy defers batch-loaded nodes until every root field ran; here each root field's tree,
/// batch loads included, completes before the next mutation starts.
/// </summary>
public sealed class MutationExecutionStrategy : SerialExecutionStrategy
{
    public static new MutationExecutionStrategy Instance { get; } = new();

    public override async Task ExecuteNodeTreeAsync(ExecutionContext context, ExecutionNode rootNode)
    {
        if (rootNode is not RootExecutionNode root)
        {
            await base.ExecuteNodeTreeAsync(context, rootNode);
            return;
        }

        var fields = new List<ExecutionNode>();
        root.ApplyToChildren((node, list) => list.Add(node), fields);
        foreach (var field in fields)
        {
            await base.ExecuteNodeTreeAsync(context, field);
        }
    }
}
