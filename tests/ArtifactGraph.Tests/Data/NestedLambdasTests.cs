using System.Linq.Expressions;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Query;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactGraph.Tests.Data;

public sealed class NestedLambdasTests
{
    private static int Apply(Func<int, int> f, int x) => f(x);

    private static readonly System.Reflection.MethodInfo ApplyMethod = typeof(NestedLambdasTests).GetMethod(nameof(Apply), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    [Fact]
    public void A_closed_nested_lambda_is_compiled_once_into_a_constant()
    {
        Expression<Func<int, int>> outer = x => Apply(y => y * 10, x + 1);

        var compiled = NestedLambdas.CompileClosed(outer);

        var argument = ((MethodCallExpression)compiled.Body).Arguments[0];
        Assert.Equal(ExpressionType.Constant, argument.NodeType);
        Assert.IsType<Func<int, int>>(((ConstantExpression)argument).Value);
        Assert.Equal(30, compiled.Compile()(2));
    }

    [Fact]
    public void A_nested_lambda_that_uses_an_enclosing_parameter_stays_a_lambda()
    {
        Expression<Func<int, int>> outer = x => Apply(y => y * x, 3);

        var compiled = NestedLambdas.CompileClosed(outer);

        Assert.Equal(ExpressionType.Lambda, ((MethodCallExpression)compiled.Body).Arguments[0].NodeType);
        Assert.Equal(12, compiled.Compile()(4));
    }

    [Fact]
    public void Variables_declared_inside_the_nested_lambda_do_not_keep_it_open_and_inner_closed_lambdas_are_compiled_first()
    {
        // y => { int v; v = y + 1; return Apply(z => z * 2, v); } inside x => Apply(…, x)
        var y = Expression.Parameter(typeof(int), "y");
        var v = Expression.Variable(typeof(int), "v");
        var z = Expression.Parameter(typeof(int), "z");
        var inner = Expression.Lambda<Func<int, int>>(Expression.Multiply(z, Expression.Constant(2)), z);
        var middle = Expression.Lambda<Func<int, int>>(
            Expression.Block([v], Expression.Assign(v, Expression.Add(y, Expression.Constant(1))), Expression.Call(ApplyMethod, inner, v)), y);
        var x = Expression.Parameter(typeof(int), "x");
        var outer = Expression.Lambda<Func<int, int>>(Expression.Call(ApplyMethod, middle, x), x);

        var compiled = NestedLambdas.CompileClosed(outer);

        Assert.Equal(ExpressionType.Constant, ((MethodCallExpression)compiled.Body).Arguments[0].NodeType);
        Assert.Equal(8, compiled.Compile()(3));
    }

    [Fact]
    public void A_quoted_lambda_is_left_as_data()
    {
        Expression<Func<IQueryable<int>, IQueryable<int>>> outer = q => q.Where(i => i > 1);

        var compiled = NestedLambdas.CompileClosed(outer);

        Assert.Equal(ExpressionType.Quote, ((MethodCallExpression)compiled.Body).Arguments[1].NodeType);
        Assert.Equal([2, 3], compiled.Compile()(new[] { 1, 2, 3 }.AsQueryable()));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public void Every_context_compiles_its_queries_through_the_precompiled_shaper_database(DatabaseClient client)
    {
        using var context = new ArtifactGraphDbContext(ArtifactGraphDbOptions.Create(client, client == DatabaseClient.Sqlite ? "Data Source=:memory:" : "Host=db;Database=x"));

        Assert.IsType<PrecompiledShaperDatabase>(context.GetService<IDatabase>());
    }
}
