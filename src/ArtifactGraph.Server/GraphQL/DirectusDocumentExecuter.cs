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
/// subscriber's selection costs no statement of its own.
/// </summary>
public sealed class SubscriptionEventStrategy : SubscriptionExecutionStrategy
{
    public static new SubscriptionEventStrategy Instance { get; } = new();

    protected override ValueTask<ExecutionResult> ProcessDataAsync(ExecutionContext context, ExecutionNode node, object? value)
    {
        // The context is this event's own copy (GraphQL.NET duplicates it per event).
        if (value is Subscriptions.MutatedEvent { Read: { } read } && context.UserContext is GraphQLUserContext user)
        {
            context.UserContext = user.WithRead(read);
        }

        return base.ProcessDataAsync(context, node, value);
    }
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
