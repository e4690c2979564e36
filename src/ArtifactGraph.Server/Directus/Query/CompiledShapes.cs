using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// EF Core compiled queries (<see cref="EF.CompileAsyncQuery{TContext, TResult}(Expression{Func{TContext, IQueryable{TResult}}})"/>)
/// for reads by shape: the values of a read (the batch load's keys, the values of its filter and of the caller's
/// permission filter, see <see cref="FilterShape"/>) are the compiled query's parameters. Such a read otherwise builds
/// its LINQ expression on every request, and EF Core then walks, hashes and compares it to find its cached
/// translation: about a fifth of the server's CPU on the benchmark queries. A shape is keyed by everything that decides
/// its expression (collection, key field, default sort, page, database, the caller's readable fields, the read
/// arguments' columns, joins and sort, and the filters' nodes), and is first built by the same code as the uncompiled
/// read, so it is checked (sort fields, permissions) exactly as before. A search (its patterns are SQL literals) is not
/// compiled.
/// </summary>
internal sealed class CompiledShapes<T>(ShapeBudget budget)
    where T : class
{
    private static readonly MethodInfo SetMethod = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;

    private static readonly MethodInfo ConstantMethod = typeof(EF).GetMethod(nameof(EF.Constant))!;

    /// <summary>A compiled shape: run with a context, the batch load's keys (none for a list) and the filters' values.</summary>
    public delegate IAsyncEnumerable<T> Query(ArtifactGraphDbContext context, IReadOnlyList<object> keys, object?[] values);

    private static readonly MethodInfo TypedListMethod = typeof(CompiledShapes<T>).GetMethod(nameof(TypedList), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>EF.CompileAsyncQuery of a query of rows, by its number of parameters (the context included).</summary>
    private static readonly Dictionary<int, MethodInfo> CompileMethods = typeof(EF).GetMethods()
        .Where(m => m.Name == nameof(EF.CompileAsyncQuery) && m.GetParameters() is [var p]
            && p.ParameterType.GetGenericArguments()[0].GetGenericArguments()[^1] is { IsGenericType: true } result
            && result.GetGenericTypeDefinition() == typeof(IQueryable<>))
        .ToDictionary(m => m.GetGenericArguments().Length - 1);

    private readonly ConcurrentDictionary<string, Query> shapes = new(StringComparer.Ordinal);

    public int Count => shapes.Count;

    /// <summary>
    /// Whether the read may be compiled, its filters permitting (<see cref="FilterShape.Of"/>): no search, whose patterns
    /// are literals. A sort through a relation carries the related collections' item filters, which the shape's key (the
    /// caller's <see cref="AccessRules.SchemaKey"/>) does not tell apart, so only an administrator's is compiled.
    /// </summary>
    public static bool Cacheable(CollectionModel collection, QueryArgs args, AccessRules access)
        => string.IsNullOrEmpty(args.Search) && (access.IsAdmin || args.Sort is null || !args.Sort.Any(s => s?.Contains('.') == true));

    /// <summary>
    /// Compiles <paramref name="query"/> (one context's query, built with <paramref name="shape"/>'s predicates): each
    /// value becomes a parameter, <paramref name="keys"/> (a typed list, when the query has one) comes first.
    /// </summary>
    public static Query Compile(Expression query, FilterShape shape, ParameterExpression? keys)
    {
        var context = Expression.Parameter(typeof(ArtifactGraphDbContext), "context");
        var values = shape.Types.Select((type, i) => Expression.Parameter(type, $"value{i}")).ToArray();
        ParameterExpression[] parameters = [context, .. keys is null ? [] : new[] { keys }, .. values];
        var body = FromContext(shape.Parameterize(query, values), context);
        var lambda = Expression.Lambda(Expression.GetFuncType([.. parameters.Select(p => p.Type), typeof(IQueryable<T>)]), body, parameters);
        var compiled = (Delegate)CompileMethods[parameters.Length].MakeGenericMethod([.. parameters.Select(p => p.Type), typeof(T)]).Invoke(null, [lambda])!;

        // (c, k, v) => compiled(c, TypedList(k), (T1)v[0], …): no reflection per call.
        var c = Expression.Parameter(typeof(ArtifactGraphDbContext), "c");
        var k = Expression.Parameter(typeof(IReadOnlyList<object>), "k");
        var v = Expression.Parameter(typeof(object?[]), "v");
        var arguments = new List<Expression> { c };
        if (keys is not null)
        {
            arguments.Add(Expression.Call(TypedListMethod.MakeGenericMethod(keys.Type.GetGenericArguments()[0]), k));
        }

        arguments.AddRange(values.Select((value, i) => Expression.Convert(Expression.ArrayIndex(v, Expression.Constant(i)), value.Type)));
        return Expression.Lambda<Query>(Expression.Invoke(Expression.Constant(compiled), arguments), c, k, v).Compile();
    }

    private static List<TKey> TypedList<TKey>(IReadOnlyList<object> boxed)
    {
        var typed = new List<TKey>(boxed.Count);
        foreach (var key in boxed)
        {
            typed.Add((TKey)key);
        }

        return typed;
    }

    /// <summary>The compiled query of <paramref name="key"/>, compiled now if new; null once the budget is spent.</summary>
    public Query? Get(string key, Func<Query> compile)
    {
        if (shapes.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        if (!budget.TryTake())
        {
            return null;
        }

        return shapes.GetOrAdd(key, compile());
    }

    /// <summary>
    /// <paramref name="query"/> with each query root (one context's <c>DbSet</c>) replaced by <c>context.Set&lt;TEntity&gt;()</c>
    /// on the compiled query's context parameter.
    /// </summary>
    public static Expression FromContext(Expression query, ParameterExpression context) => new RootsFromContext(context).Visit(query);

    private sealed class RootsFromContext(ParameterExpression context) : ExpressionVisitor
    {
        protected override Expression VisitExtension(Expression node)
            => node is EntityQueryRootExpression root
                ? Expression.Call(context, SetMethod.MakeGenericMethod(root.EntityType.ClrType))
                : base.VisitExtension(node);

        // A compiled query keeps its constants as SQL literals; EF.Constant (which asks the same of a value that would
        // otherwise become a parameter) is refused there.
        protected override Expression VisitMethodCall(MethodCallExpression node)
            => node.Method.IsGenericMethod && node.Method.GetGenericMethodDefinition() == ConstantMethod
                ? Visit(node.Arguments[0])
                : base.VisitMethodCall(node);
    }
}

/// <summary>
/// The shapes one server compiles, over all collections. A compiled shape holds its SQL, its row shaper and their
/// compiled delegates, about 170 KB of the server's memory (measured: 141 new filter shapes, 24 MB more resident);
/// past the budget (a client inventing new filters), reads are no longer compiled and work as before, through EF
/// Core's own bounded query cache.
/// </summary>
internal sealed class ShapeBudget(int capacity)
{
    /// <summary>The server's: at most about 85 MB of compiled shapes.</summary>
    public const int DefaultCapacity = 500;

    private int taken;

    public int Capacity => capacity;

    /// <summary>Takes one shape from the budget; false once it is spent.</summary>
    public bool TryTake()
    {
        if (Volatile.Read(ref taken) >= capacity)
        {
            return false;
        }

        return Interlocked.Increment(ref taken) <= capacity;
    }
}
