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
        OperationType.Subscription when context.UserContext is GraphQLUserContext { Subscribable: true } => SubscriptionExecutionStrategy.Instance,
        OperationType.Subscription => ParallelExecutionStrategy.Instance,
        _ => base.SelectExecutionStrategy(context),
    };
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
