using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactGraph.Data.Query;

/// <summary>
/// EF Core's relational database service, with one change to how a query's executor is compiled: each lambda nested
/// in the executor that uses nothing of the lambdas around it (the row shaper handed to the query's enumerable) is
/// compiled once, on its own, and passed in as a ready delegate. Compiled as part of the executor, such a lambda is a
/// new delegate on every execution (<c>DynamicMethod.CreateDelegate</c>): 5.6 % of the server's CPU on the benchmark
/// queries. EF Core 8 compiled the shaper on its own too; EF Core 9 stopped, for ahead-of-time compilation
/// (dotnet/efcore#35210).
/// </summary>
#pragma warning disable EF9100 // ILiftableConstantProcessor is experimental; it is used here exactly as QueryCompilationContext.CreateQueryExecutor uses it.
public sealed class PrecompiledShaperDatabase(
    DatabaseDependencies dependencies, RelationalDatabaseDependencies relationalDependencies, ILiftableConstantProcessor liftableConstants)
    : RelationalDatabase(dependencies, relationalDependencies)
{
    public override Func<QueryContext, TResult> CompileQuery<TResult>(Expression query, bool async)
    {
        // QueryCompilationContext.CreateQueryExecutor, with the nested lambdas compiled before the executor is (and
        // without its QueryExecutionPlanned debug event, which prints the executor's expression tree).
        var compilation = Dependencies.QueryCompilationContextFactory.Create(async);
        var executor = compilation.CreateQueryExecutorExpression<TResult>(query);
        var inlined = (Expression<Func<QueryContext, TResult>>)liftableConstants.InlineConstants(executor, compilation.SupportsPrecompiledQuery);
        return NestedLambdas.CompileClosed(inlined).Compile();
    }
}
#pragma warning restore EF9100

/// <summary>Replaces the closed lambdas nested in a lambda (ones that use no parameter or variable of an enclosing scope) by their compiled delegates.</summary>
public static class NestedLambdas
{
    public static Expression<T> CompileClosed<T>(Expression<T> lambda)
        => lambda.Update(new Compiler().Visit(lambda.Body), lambda.Parameters);

    private sealed class Compiler : ExpressionVisitor
    {
        protected override Expression VisitLambda<TDelegate>(Expression<TDelegate> node)
        {
            // Innermost first: a closed lambda inside this one becomes a constant before this one is compiled.
            var visited = node.Update(Visit(node.Body), node.Parameters);
            return FreeVariables.Any(visited) ? visited : Expression.Constant(visited.Compile(), visited.Type);
        }

        // A quoted lambda is data (an expression tree handed to a method), not code to run.
        protected override Expression VisitUnary(UnaryExpression node)
            => node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);
    }

    /// <summary>Whether an expression uses a parameter or variable it does not declare itself.</summary>
    private sealed class FreeVariables : ExpressionVisitor
    {
        private readonly Stack<IEnumerable<ParameterExpression>> declared = new();
        private bool found;

        public static bool Any(Expression expression)
        {
            var visitor = new FreeVariables();
            visitor.Visit(expression);
            return visitor.found;
        }

        public override Expression? Visit(Expression? node) => found ? node : base.Visit(node);

        protected override Expression VisitLambda<TDelegate>(Expression<TDelegate> node) => Within<Expression<TDelegate>, Expression>(node.Parameters, node, base.VisitLambda);

        protected override Expression VisitBlock(BlockExpression node) => Within<BlockExpression, Expression>(node.Variables, node, base.VisitBlock);

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
            => Within<CatchBlock, CatchBlock>(node.Variable is null ? [] : [node.Variable], node, base.VisitCatchBlock);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            found |= !declared.Any(scope => scope.Contains(node));
            return node;
        }

        private TResult Within<TNode, TResult>(IEnumerable<ParameterExpression> variables, TNode node, Func<TNode, TResult> visit)
        {
            declared.Push(variables);
            try
            {
                return visit(node);
            }
            finally
            {
                declared.Pop();
            }
        }
    }
}
