using System.Text.Json;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Items;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Direct;

/// <summary>
/// A read query planned for <see cref="DirectQueryExecutor"/>: its root lists and items, and below them the same
/// tree of selections GraphQL.NET would execute (fields merged by response key, fragments expanded), each relation
/// with the read arguments, columns and joins its resolver would have used. Only documents made of what the
/// executor answers exactly as the resolvers do are planned (see <see cref="DirectQueryPlanner"/>).
/// </summary>
internal sealed record DirectQueryPlan(IReadOnlyList<RootPlan> Roots);

internal enum RootKind
{
    Typename,
    List,
    ById,
}

/// <summary>A root field: a collection's list (<c>tasks</c>), one item (<c>tasks_by_id</c>) or <c>__typename</c>.</summary>
internal sealed class RootPlan(string responseKey, RootKind kind)
{
    public string ResponseKey { get; } = responseKey;

    public RootKind Kind { get; } = kind;

    public string TypeName { get; init; } = "";

    public CollectionModel? Collection { get; init; }

    public QueryArgs Args { get; init; } = QueryArgs.None;

    /// <summary>The primary key of a <see cref="RootKind.ById"/> field, parsed.</summary>
    public object? Key { get; init; }

    public SelectionPlan? Selection { get; init; }

    /// <summary>The field in the document (for the location of an error).</summary>
    public GraphQLField? Node { get; init; }

    /// <summary>What the field read (filled by the executor).</summary>
    public IReadOnlyList<object> Rows { get; set; } = [];

    /// <summary>A list read in batches as the answer is written, instead of <see cref="Rows"/> (filled by the executor).</summary>
    public ItemBatches? Batches { get; set; }
}

/// <summary>The GraphQL side of a selection: the object type's name, for <c>__typename</c>.</summary>
internal sealed class SelectionPlan(CollectionModel collection, string typeName, IReadOnlyList<FieldPlan> fields) : ItemSelection(collection, fields)
{
    public string TypeName { get; } = typeName;

    public JsonEncodedText EncodedTypeName { get; } = JsonEncodedText.Encode(typeName, GraphQLResponseWriter.Encoder);

    public IReadOnlyList<FieldPlan> Fields { get; } = fields;
}

/// <summary>One response key of a selection, with what GraphQL needs to write it (<c>__typename</c> is a computed entry).</summary>
internal sealed class FieldPlan(string responseKey, ItemFieldKind kind) : ItemField(responseKey, kind)
{
    /// <summary>The response key escaped and in UTF-8 once, not once per row written.</summary>
    public JsonEncodedText EncodedKey { get; } = JsonEncodedText.Encode(responseKey, GraphQLResponseWriter.Encoder);

    /// <summary>The field's GraphQL type (scalars: how values are serialized and whether null is allowed).</summary>
    public IGraphType? Type { get; init; }

    /// <summary>A scalar's typed writer (see <see cref="DirectScalarWriters"/>); null when the general path writes it.</summary>
    public Action<Utf8JsonWriter, object>? ScalarWriter
    {
        get
        {
            if (!scalarWriterChosen)
            {
                scalarWriter = Kind == ItemFieldKind.Scalar && Field is not null && Type is not null ? DirectScalarWriters.For(Field, Type) : null;
                scalarWriterChosen = true;
            }

            return scalarWriter;
        }
    }

    private Action<Utf8JsonWriter, object>? scalarWriter;
    private bool scalarWriterChosen;

    /// <summary>The related collection's selection (relations), typed.</summary>
    public SelectionPlan? ChildPlan => (SelectionPlan?)Child;
}

/// <summary>
/// Turns a validated query into a <see cref="DirectQueryPlan"/>, or says no (null) when any part of it is something
/// the executor does not answer itself: mutations and subscriptions, directives, variables that failed to coerce,
/// <c>_aggregated</c>, <c>_by_version</c>, <c>_func</c> fields, system fields such as <c>users_me</c>, a <c>version</c>
/// argument, or a query deeper than <c>MAX_RELATIONAL_DEPTH</c> (whose error the resolvers give). Those run through
/// GraphQL.NET as before.
/// </summary>
internal sealed class DirectQueryPlanner(DirectusModel model, int maxRelationalDepth)
{
    /// <param name="refusedForGood">
    /// Set when the plan is refused whatever the request's variables (a mutation, an aggregate, a directive…), so the
    /// operation need not be planned again; not when the refusal came from a value (a key, a version, a depth).
    /// </param>
    public DirectQueryPlan? Plan(
        ISchema schema, GraphQLScope scope, GraphQLDocument document, GraphQLOperationDefinition operation, IValidationResult coerced, AccessRules access,
        out bool refusedForGood)
    {
        refusedForGood = true;
        if (operation.Operation != OperationType.Query || operation.Directives is { Count: > 0 } || schema.Query is not { } query)
        {
            return null;
        }

        var context = new Context(document, coerced.ArgumentValues, coerced.Variables, access);
        var plan = Plan(schema, scope, context, operation, query);
        refusedForGood = plan is null && !context.DependsOnValues;
        return plan;
    }

    private DirectQueryPlan? Plan(ISchema schema, GraphQLScope scope, Context context, GraphQLOperationDefinition operation, IObjectGraphType query)
    {
        var groups = context.Collect(operation.SelectionSet, query.Name);
        if (groups is null)
        {
            return null;
        }

        var roots = new List<RootPlan>(groups.Count);
        foreach (var (key, nodes) in groups)
        {
            var root = PlanRoot(schema, scope, context, key, nodes);
            if (root is null)
            {
                return null;
            }

            roots.Add(root);
        }

        return new DirectQueryPlan(roots);
    }

    private RootPlan? PlanRoot(ISchema schema, GraphQLScope scope, Context context, string key, List<GraphQLField> nodes)
    {
        var node = nodes[0];
        var name = node.Name.StringValue;
        if (name == "__typename")
        {
            return new RootPlan(key, RootKind.Typename) { TypeName = schema.Query.Name, Node = node };
        }

        var byId = name.EndsWith("_by_id", StringComparison.Ordinal);
        var rootName = byId ? name[..^"_by_id".Length] : name;
        var collection = model.Collections.FirstOrDefault(c => c.IsSystem == (scope == GraphQLScope.System) && c.RootName == rootName);
        if (collection is null
            || schema.Query.GetField(name) is not { } definition
            || Unwrap(definition.ResolvedType) is not IObjectGraphType type)
        {
            return null;
        }

        if (RelationalDepth.Of(context.Document, context.Variables, node, aggregated: false) > maxRelationalDepth)
        {
            // Filters and sorts given as variables count too.
            context.DependsOnValues = true;
            return null;
        }

        var selection = PlanSelection(context, collection, type, nodes, joinable: true);
        if (selection is null)
        {
            return null;
        }

        var arguments = context.Arguments(node);
        if (!byId)
        {
            return new RootPlan(key, RootKind.List)
            {
                Node = node,
                Collection = collection,
                Args = selection.Shape(ReadArguments.Parse(arguments)),
                Selection = selection,
            };
        }

        // The live item only; a content version (or a key that is not one) is left to the resolver's own answer.
        if (arguments is null
            || arguments.Any(a => a.Key != "id" && a.Value.Value is not null)
            || !arguments.TryGetValue("id", out var id)
            || Items.ItemKeys.Parse(collection, id.Value as string) is not { } parsedKey)
        {
            context.DependsOnValues = true;
            return null;
        }

        return new RootPlan(key, RootKind.ById)
        {
            Node = node,
            Collection = collection,
            Args = selection.Shape(QueryArgs.None),
            Key = parsedKey,
            Selection = selection,
        };
    }

    /// <summary>
    /// The selection of a subscription event's <c>data</c> field (<paramref name="root"/> is the <c>&lt;collection&gt;_mutated</c>
    /// field, <paramref name="payload"/> its type), for reading a batch of events' items with their relations at once;
    /// an empty selection when <c>data</c> is not asked for (only whether each item may be read is needed). Null when the
    /// planner does not take it (as for a query; or <c>data</c> under several response keys): the items are then read
    /// whole and their relations left to the resolvers.
    /// </summary>
    public SelectionPlan? PlanEventData(
        GraphQLDocument document, IReadOnlyDictionary<GraphQLField, IDictionary<string, ArgumentValue>>? argumentValues, Variables? variables,
        GraphQLField root, IObjectGraphType payload, CollectionModel collection, AccessRules access)
    {
        var context = new Context(document, argumentValues, variables, access);
        if (RelationalDepth.Of(document, variables, root, aggregated: false) > maxRelationalDepth
            || context.Collect(root.SelectionSet, payload.Name) is not { } groups
            || groups.Where(g => g.Nodes[0].Name.StringValue == "data").ToList() is not { Count: <= 1 } data
            || payload.GetField("data")?.ResolvedType is not { } dataType
            || Unwrap(dataType) is not IObjectGraphType type)
        {
            return null;
        }

        return data.Count == 0
            ? new SelectionPlan(collection, type.Name, [])
            : PlanSelection(context, collection, type, data[0].Nodes, joinable: true);
    }

    /// <param name="joinable">
    /// Whether the rows of this selection are read by a statement of their own, which can join their many-to-one
    /// fields; rows that a join read come without their own relations, which are then loaded.
    /// </param>
    private SelectionPlan? PlanSelection(Context context, CollectionModel collection, IObjectGraphType type, List<GraphQLField> nodes, bool joinable)
    {
        var groups = context.Collect(nodes.Select(n => n.SelectionSet), type.Name);
        if (groups is null)
        {
            return null;
        }

        var fields = new List<FieldPlan>(groups.Count);
        foreach (var (key, group) in groups)
        {
            var name = group[0].Name.StringValue;
            if (name == "__typename")
            {
                fields.Add(new FieldPlan(key, ItemFieldKind.Computed));
                continue;
            }

            if (collection.Field(name) is not { } field || type.GetField(name) is not { ResolvedType: { } fieldType })
            {
                return null;
            }

            switch (field.Kind)
            {
                case FieldKind.ManyToOne or FieldKind.OneToMany:
                {
                    if (field.Related is not { } related || Unwrap(fieldType) is not IObjectGraphType relatedType)
                    {
                        return null;
                    }

                    var arguments = context.Arguments(group[0]);
                    var args = ReadArguments.Parse(arguments);
                    var joined = joinable && JoinedRelation.CanJoin(field, context.Access)
                        && (arguments is null || arguments.Count == 0) && group.All(n => n.Arguments is not { Count: > 0 });
                    if (PlanSelection(context, related, relatedType, group, joinable: !joined) is not { } child)
                    {
                        return null;
                    }

                    fields.Add(new FieldPlan(key, joined ? ItemFieldKind.JoinedManyToOne
                        : field.Kind == FieldKind.ManyToOne ? ItemFieldKind.ManyToOne : ItemFieldKind.OneToMany)
                    {
                        Field = field,
                        Type = fieldType,
                        Child = child,
                        Args = child.Shape(args),
                    });
                    break;
                }

                default:
                    if (group.Any(n => n.SelectionSet is not null))
                    {
                        return null;
                    }

                    fields.Add(new FieldPlan(key, ItemFieldKind.Scalar) { Field = field, Type = fieldType });
                    break;
            }
        }

        return new SelectionPlan(collection, type.Name, fields);
    }

    private static IGraphType? Unwrap(IGraphType? type) => type switch
    {
        NonNullGraphType n => Unwrap(n.ResolvedType),
        ListGraphType l => Unwrap(l.ResolvedType),
        _ => type,
    };

    /// <summary>The document, the coerced arguments and the caller, for one plan.</summary>
    private sealed class Context(
        GraphQLDocument document, IReadOnlyDictionary<GraphQLField, IDictionary<string, ArgumentValue>>? argumentValues, Variables? variables,
        AccessRules access)
    {
        public GraphQLDocument Document { get; } = document;

        public Variables? Variables { get; } = variables;

        public AccessRules Access { get; } = access;

        /// <summary>A refusal came from a value of this request (another request of the same operation may be planned).</summary>
        public bool DependsOnValues { get; set; }

        public IDictionary<string, ArgumentValue>? Arguments(GraphQLField node)
            => argumentValues is { } values && values.TryGetValue(node, out var arguments) ? arguments : null;

        public List<(string Key, List<GraphQLField> Nodes)>? Collect(GraphQLSelectionSet? set, string typeName)
            => Collect([set], typeName);

        /// <summary>
        /// GraphQL's CollectFields: the fields of the selection sets by response key, in the order they first appear,
        /// fragments expanded (each once). Null when something is not a plain selection (a directive, or a fragment
        /// on another type).
        /// </summary>
        public List<(string Key, List<GraphQLField> Nodes)>? Collect(IEnumerable<GraphQLSelectionSet?> sets, string typeName)
        {
            var groups = new List<(string Key, List<GraphQLField> Nodes)>();
            var visited = new HashSet<string>(StringComparer.Ordinal);
            foreach (var set in sets)
            {
                if (!Add(set, typeName, groups, visited))
                {
                    return null;
                }
            }

            return groups;
        }

        private bool Add(GraphQLSelectionSet? set, string typeName, List<(string Key, List<GraphQLField> Nodes)> groups, HashSet<string> visited)
        {
            foreach (var selection in set?.Selections ?? [])
            {
                switch (selection)
                {
                    case GraphQLField { Directives: null or { Count: 0 } } field:
                        var key = (field.Alias?.Name ?? field.Name).StringValue;
                        var index = groups.FindIndex(g => g.Key == key);
                        if (index < 0)
                        {
                            groups.Add((key, [field]));
                        }
                        else
                        {
                            groups[index].Nodes.Add(field);
                        }

                        break;
                    case GraphQLInlineFragment { Directives: null or { Count: 0 } } inline
                        when inline.TypeCondition is null || inline.TypeCondition.Type.Name.StringValue == typeName:
                        if (!Add(inline.SelectionSet, typeName, groups, visited))
                        {
                            return false;
                        }

                        break;
                    case GraphQLFragmentSpread { Directives: null or { Count: 0 } } spread:
                        var name = spread.FragmentName.Name.StringValue;
                        if (!visited.Add(name))
                        {
                            break;
                        }

                        if (Document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(d => d.FragmentName.Name.StringValue == name)
                                is not { Directives: null or { Count: 0 } } definition
                            || definition.TypeCondition.Type.Name.StringValue != typeName
                            || !Add(definition.SelectionSet, typeName, groups, visited))
                        {
                            return false;
                        }

                        break;
                    default:
                        return false;
                }
            }

            return true;
        }
    }
}
