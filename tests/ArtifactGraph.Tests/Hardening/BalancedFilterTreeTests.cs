using System.Linq.Expressions;
using ArtifactGraph.Server.Directus.Query;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Found by the bad-input suite: a filter with 20,000 _or branches (a 600 KB request) built a 20,000-deep OrElse chain;
/// EF Core's funcletizer visits it recursively, the stack overflowed and the server process died. Branches are now
/// joined as a balanced tree.
/// </summary>
public sealed class BalancedFilterTreeTests
{
    [Theory]
    [InlineData(100_000)]
    [InlineData(1_000)]
    public void OrElse_manyParts_treeIsLogarithmicallyDeep(int count)
    {
        var x = Expression.Parameter(typeof(int), "x");
        var parts = Enumerable.Range(0, count).Select(i => (Expression)Expression.Equal(x, Expression.Constant(i))).ToList();

        var tree = Expressions.OrElse(parts);

        Assert.True(Depth(tree) <= Math.Ceiling(Math.Log2(count)) + 1, $"depth {Depth(tree)}");
        var predicate = Expression.Lambda<Func<int, bool>>(tree, x).Compile();
        Assert.True(predicate(count - 1));
        Assert.False(predicate(count));
    }

    [Fact]
    public void AndAlso_keepsEveryPartInOrder()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var parts = Enumerable.Range(0, 7).Select(i => (Expression)Expression.NotEqual(x, Expression.Constant(i))).ToList();

        var tree = Expressions.AndAlso(parts);

        Assert.Equal("((((x != 0) AndAlso (x != 1)) AndAlso ((x != 2) AndAlso (x != 3))) AndAlso (((x != 4) AndAlso (x != 5)) AndAlso (x != 6)))", tree.ToString());
        Assert.Equal("True", Expressions.AndAlso([]).ToString());
        Assert.Equal("False", Expressions.OrElse([]).ToString());
    }

    [Fact]
    public void AndAlso_upToThreeParts_isLeftDeepAsBefore()
    {
        var x = Expression.Parameter(typeof(int), "x");
        var parts = Enumerable.Range(0, 3).Select(i => (Expression)Expression.NotEqual(x, Expression.Constant(i))).ToList();

        Assert.Equal("(((x != 0) AndAlso (x != 1)) AndAlso (x != 2))", Expressions.AndAlso(parts).ToString());
    }

    private static int Depth(Expression e) => e is BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.AndAlso } b
        ? 1 + Math.Max(Depth(b.Left), Depth(b.Right))
        : 0;
}
