using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// A read's filter predicates (the caller's permission filter and its own filter, as <see cref="FilterTranslator"/>
/// builds them) split into a shape and its values, so that a filtered read can be an EF Core compiled query (see
/// <see cref="CompiledShapes{T}"/>): the values (<see cref="Expressions.Parameter"/>'s boxes) become the compiled
/// query's parameters, and <see cref="Key"/> tells every other node of the predicates apart. Two predicates with the
/// same key differ in their boxed values only, whatever made them (a value that changes the expression, such as
/// <c>_null: true</c> or a value that does not parse, changes a node). Nothing else may stand for a value unseen: a
/// constant of any type but a scalar one (whose value is in the key), <c>EF.Constant</c> (a SQL literal, such as a
/// case-insensitive pattern) and <c>EF.Parameter</c> (a long list) make the predicates not compilable.
/// </summary>
internal sealed class FilterShape
{
    /// <summary>
    /// EF Core compiles queries of up to 15 parameters; a batch load's keys take one. A filter with more values is read
    /// as before, not compiled.
    /// </summary>
    public const int MaxValues = 14;

    private static readonly ConcurrentDictionary<MemberInfo, int> Ids = new();

    private readonly Dictionary<Expression, int> slots;

    private FilterShape(string key, Dictionary<Expression, int> slots, object?[] values, Type[] types)
    {
        Key = key;
        this.slots = slots;
        Values = values;
        Types = types;
    }

    /// <summary>Every node of the predicates but the values, as text.</summary>
    public string Key { get; }

    /// <summary>The values, in the order of their parameters.</summary>
    public object?[] Values { get; }

    /// <summary>Each parameter's type.</summary>
    public Type[] Types { get; }

    /// <summary>The shape of <paramref name="predicates"/> (null ones are none); null when they cannot be compiled.</summary>
    public static FilterShape? Of(Expression? permitted, Expression? filter)
        => permitted is null && filter is null ? None : Of([permitted, filter]);

    private static readonly FilterShape None = new("", [], [], []);

    private static FilterShape? Of(Expression?[] predicates)
    {
        var writer = new KeyWriter();
        foreach (var predicate in predicates)
        {
            writer.Text.Append('|');
            writer.Visit(predicate);
            if (writer.Failed || writer.Values.Count > MaxValues)
            {
                return null;
            }
        }

        return new FilterShape(writer.Text.ToString(), writer.Slots, [.. writer.Values], [.. writer.Types]);
    }

    /// <summary><paramref name="query"/> with each value of these predicates replaced by its parameter in <paramref name="parameters"/>.</summary>
    public Expression Parameterize(Expression query, IReadOnlyList<ParameterExpression> parameters) => new Replacer(slots, parameters).Visit(query)!;

    private static int lastId;

    // A member's number is drawn once (a losing racer's number is simply not used).
    private static int Id(MemberInfo member) => Ids.GetOrAdd(member, _ => Interlocked.Increment(ref lastId));

    private static bool IsBoxValue(MemberExpression node, out object? value)
    {
        if (node is { Expression: ConstantExpression { Value: Expressions.IBox box } })
        {
            value = box.BoxedValue;
            return true;
        }

        value = null;
        return false;
    }

    private sealed class Replacer(Dictionary<Expression, int> slots, IReadOnlyList<ParameterExpression> parameters) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
            => node is not null && slots.TryGetValue(node, out var slot) ? parameters[slot] : base.Visit(node);
    }

    /// <summary>Writes each node as <c>(node type:type …)</c>, its member, method or scalar value inside; each value as its slot.</summary>
    private sealed class KeyWriter : ExpressionVisitor
    {
        private static readonly MethodInfo EfConstant = typeof(EF).GetMethod(nameof(EF.Constant))!;
        private static readonly MethodInfo EfParameter = typeof(EF).GetMethod(nameof(EF.Parameter))!;

        private readonly Dictionary<ParameterExpression, int> parameters = [];

        public StringBuilder Text { get; } = new();

        public Dictionary<Expression, int> Slots { get; } = [];

        public List<object?> Values { get; } = [];

        public List<Type> Types { get; } = [];

        public bool Failed { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node is null)
            {
                Text.Append('~');
                return null;
            }

            if (Failed)
            {
                return node;
            }

            if (node is MemberExpression member && IsBoxValue(member, out var value))
            {
                if (!Slots.TryGetValue(node, out var slot))
                {
                    slot = Values.Count;
                    Slots[node] = slot;
                    Values.Add(value);
                    Types.Add(node.Type);
                }

                Text.Append("($").Append(slot).Append(')');
                return node;
            }

            if (!Known(node))
            {
                Failed = true;
                return node;
            }

            Text.Append('(').Append((int)node.NodeType).Append(':').Append(Id(node.Type));
            var visited = base.Visit(node);
            Text.Append(')');
            return visited;
        }

        // The node types a filter is made of; anything else is not compiled rather than keyed by a rule not thought through.
        private static bool Known(Expression node) => node switch
        {
            ConstantExpression or ParameterExpression or LambdaExpression or MemberExpression or MethodCallExpression
                or BinaryExpression or ConditionalExpression or EntityQueryRootExpression => true,
            UnaryExpression unary => unary.NodeType is ExpressionType.Not or ExpressionType.Convert or ExpressionType.ConvertChecked
                or ExpressionType.Quote or ExpressionType.Negate or ExpressionType.TypeAs or ExpressionType.ArrayLength,
            _ => false,
        };

        protected override Expression VisitConstant(ConstantExpression node)
        {
            switch (node.Value)
            {
                case null:
                    Text.Append('~');
                    break;
                case string text:
                    Text.Append(text.Length).Append('"').Append(text);
                    break;
                case bool or char or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
                    or Guid or DateTime or DateTimeOffset or DateOnly or TimeOnly or TimeSpan or Enum:
                    Text.Append(Convert.ToString(node.Value, CultureInfo.InvariantCulture));
                    break;
                case DbFunctions:
                    Text.Append("EF.Functions");
                    break;
                default:
                    Failed = true;
                    break;
            }

            return node;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (!parameters.TryGetValue(node, out var id))
            {
                id = parameters.Count;
                parameters[node] = id;
            }

            Text.Append('p').Append(id);
            return node;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            Text.Append('.').Append(Id(node.Member));
            return base.VisitMember(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.IsGenericMethod && node.Method.GetGenericMethodDefinition() is var definition && (definition == EfConstant || definition == EfParameter))
            {
                Failed = true;
                return node;
            }

            Text.Append('.').Append(Id(node.Method));
            return base.VisitMethodCall(node);
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            Text.Append(node.IsLiftedToNull ? "?" : "").Append(node.Method is { } method ? Id(method) : -1);
            return base.VisitBinary(node);
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            Text.Append(node.Method is { } method ? Id(method) : -1);
            return base.VisitUnary(node);
        }

        protected override Expression VisitExtension(Expression node)
        {
            // A query root (a subquery over another collection): its entity type is its node's type.
            Text.Append("root");
            return node;
        }
    }
}
