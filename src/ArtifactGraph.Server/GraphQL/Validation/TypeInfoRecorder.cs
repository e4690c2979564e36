using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// A validation rule that reports nothing: it remembers, for the nodes GraphQL.NET's errors point at, what
/// graphql-js's TypeInfo would know there (parent type, field, argument, input type), so that the errors can be
/// reworded into graphql-js's texts afterwards. One instance per request.
/// </summary>
internal sealed class TypeInfoRecorder : ValidationRuleBase, INodeVisitor
{
    private readonly Dictionary<ASTNode, NodeTypeInfo> _nodes = new(ReferenceEqualityComparer.Instance);

    public ISchema? Schema { get; private set; }

    public NodeTypeInfo? this[ASTNode node] => _nodes.GetValueOrDefault(node);

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        Schema = context.Schema;
        return new(this);
    }

    public ValueTask EnterAsync(ASTNode node, ValidationContext context)
    {
        if (node is GraphQLField or GraphQLArgument or GraphQLFragmentSpread or GraphQLInlineFragment or GraphQLDirective)
        {
            var info = context.TypeInfo;
            _nodes[node] = new NodeTypeInfo(
                info.GetParentType(),
                info.GetFieldDef(),
                info.GetLastType(),
                info.GetArgument(),
                info.GetInputType(),
                info.GetDirective());
        }

        return default;
    }

    public ValueTask LeaveAsync(ASTNode node, ValidationContext context) => default;
}

/// <summary>What the type walker knew at one node.</summary>
internal sealed record NodeTypeInfo(
    IGraphType? ParentType,
    FieldType? FieldDef,
    IGraphType? Type,
    QueryArgument? Argument,
    IGraphType? InputType,
    Directive? Directive);
