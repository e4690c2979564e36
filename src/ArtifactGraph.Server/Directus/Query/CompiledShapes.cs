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
/// for the reads whose SQL depends only on their shape: no filter, no search and no item permission, so the only
/// values are the batch load's keys. Such a read otherwise builds its LINQ expression on every request, and EF Core
/// then walks, hashes and compares it to find its cached translation: about a fifth of the server's CPU on the
/// benchmark queries. A shape is keyed by everything that decides its expression (collection, key field, default
/// sort, page, database, the caller's readable fields and the read arguments' columns, joins and sort), and is first
/// built by the same code as the uncompiled read, so it is checked (sort fields, permissions) exactly as before.
/// </summary>
internal sealed class CompiledShapes<T>
    where T : class
{
    /// <summary>Beyond this many shapes (a client inventing new ones), reads are no longer compiled: they work as before.</summary>
    public const int Capacity = 500;

    private static readonly MethodInfo SetMethod = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;

    private static readonly MethodInfo ConstantMethod = typeof(EF).GetMethod(nameof(EF.Constant))!;

    private readonly ConcurrentDictionary<string, Func<ArtifactGraphDbContext, IReadOnlyList<object>, IAsyncEnumerable<T>>> shapes = new(StringComparer.Ordinal);

    public int Count => shapes.Count;

    /// <summary>
    /// The read's SQL depends on its shape only: the caller may read every row and the arguments hold no value. A sort
    /// through a relation carries the related collections' item filters, which the shape's key (the caller's
    /// <see cref="AccessRules.SchemaKey"/>) does not tell apart, so only an administrator's is compiled.
    /// </summary>
    public static bool Cacheable(CollectionModel collection, QueryArgs args, AccessRules access)
        => args.Filter is null && string.IsNullOrEmpty(args.Search) && access.ReadFilter(collection) is null
            && (access.IsAdmin || args.Sort is null || !args.Sort.Any(s => s?.Contains('.') == true));

    /// <summary>The compiled query of <paramref name="key"/>, compiled now if new; null once <see cref="Capacity"/> is reached.</summary>
    public Func<ArtifactGraphDbContext, IReadOnlyList<object>, IAsyncEnumerable<T>>? Get(string key, Func<Func<ArtifactGraphDbContext, IReadOnlyList<object>, IAsyncEnumerable<T>>> compile)
    {
        if (shapes.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        if (shapes.Count >= Capacity)
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
