using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Items;

namespace ArtifactGraph.Server.Rest;

/// <summary>How a REST answer writes an entry.</summary>
internal enum RestOutput
{
    /// <summary>The column's value (a many-to-one field not expanded: its key).</summary>
    Value,

    /// <summary>An expanded many-to-one item.</summary>
    Item,

    /// <summary>Expanded one-to-many rows.</summary>
    Items,

    /// <summary>A one-to-many field not expanded: the keys of its rows.</summary>
    Keys,

    /// <summary>A part of a timestamp (<c>year(date_created)</c>), as text.</summary>
    DatePart,

    /// <summary>The length of a JSON array (<c>count(content)</c>).</summary>
    JsonCount,

    /// <summary>How many rows a one-to-many field has (<c>count(files)</c>), as text.</summary>
    RowCount,
}

/// <summary>An entry of a REST selection: the neutral entry plus how it is written.</summary>
internal sealed class RestField(string responseKey, ItemFieldKind kind, RestOutput output) : ItemField(responseKey, kind)
{
    public RestOutput Output { get; } = output;

    /// <summary>The date part of a <see cref="RestOutput.DatePart"/> entry.</summary>
    public string? Function { get; init; }

    public System.Text.Json.JsonEncodedText EncodedKey { get; } = System.Text.Json.JsonEncodedText.Encode(responseKey, Http.GraphQLResponseWriter.Encoder);

    /// <summary>A <see cref="RestOutput.Value"/> column's typed writer (no boxing of ids and numbers); null for the general path.</summary>
    public Action<System.Text.Json.Utf8JsonWriter, object>? Writer
    {
        get
        {
            if (!writerChosen)
            {
                writer = Output == RestOutput.Value ? GraphQL.Direct.DirectScalarWriters.ForRest(Field!) : null;
                writerChosen = true;
            }

            return writer;
        }
    }

    private Action<System.Text.Json.Utf8JsonWriter, object>? writer;
    private bool writerChosen;

    public RestSelection? ChildSelection => (RestSelection?)Child;
}

/// <summary>
/// A REST <c>fields</c> list (with <c>deep</c> and <c>alias</c>) as the neutral selection tree, by Directus's rules:
/// <c>*</c> is every field the caller may read (relations as their keys), <c>*.*</c> expands every relation one level,
/// <c>files.directus_files_id.filename_download</c> expands along the path, <c>year(date_created)</c> and
/// <c>count(files)</c> are functions answered as <c>date_created_year</c> and <c>files_count</c>. A field the caller may
/// not read, or that does not exist, is FORBIDDEN where it ends a path, and ignored where the path goes on (as Directus).
/// </summary>
internal sealed class RestSelection(CollectionModel collection, IReadOnlyList<RestField> fields) : ItemSelection(collection, fields)
{
    public IReadOnlyList<RestField> Fields { get; } = fields;

    private static readonly string[] DateFunctions = ["year", "month", "week", "day", "weekday", "hour", "minute", "second"];

    public static RestSelection Build(
        CollectionModel collection, IReadOnlyList<string> paths, IReadOnlyDictionary<string, object?>? deep, IReadOnlyDictionary<string, string>? alias,
        AccessRules access, ReadOptions options)
        => Build(collection, paths, deep, alias, access, options, where: null, joinable: true, depth: 0);

    private static RestSelection Build(
        CollectionModel collection, IReadOnlyList<string> paths, IReadOnlyDictionary<string, object?>? deep, IReadOnlyDictionary<string, string>? alias,
        AccessRules access, ReadOptions options, string? where, bool joinable, int depth)
    {
        if (depth > options.MaxRelationalDepth)
        {
            throw DirectusException.InvalidQuery($"Max relational depth of {options.MaxRelationalDepth} exceeded");
        }

        // Response key → (field name, the rest of each path through it), in the order keys first appear.
        var entries = new List<(string Key, string Name, List<string> Paths)>();
        void Add(string key, string name, string? rest)
        {
            var index = entries.FindIndex(e => e.Key == key);
            if (index < 0)
            {
                entries.Add((key, name, []));
                index = entries.Count - 1;
            }

            if (rest is not null)
            {
                entries[index].Paths.Add(rest);
            }
        }

        var functions = new List<(string Key, string Function, FieldModel Field)>();
        foreach (var path in paths)
        {
            var dot = path.IndexOf('.');
            var (head, rest) = dot < 0 ? (path, null) : (path[..dot], path[(dot + 1)..]);
            if (head == "*")
            {
                foreach (var field in collection.Fields.Where(f => Readable(f, access, expand: false)))
                {
                    Add(field.Name, field.Name, field.Kind == FieldKind.Scalar || !access.CanUse(field, "read") ? null : rest);
                }

                continue;
            }

            var open = head.IndexOf('(');
            if (open > 0 && head.EndsWith(')') && rest is null)
            {
                var (function, argument) = (head[..open], head[(open + 1)..^1]);
                var target = access.Readable(collection, argument) ?? throw Unknown(collection, argument, where);
                if (!(function == "count" && (target.Kind == FieldKind.OneToMany || target.IsJson)) && !(DateFunctions.Contains(function) && target.IsDateTime))
                {
                    throw DirectusException.InvalidQuery($"Function \"{function}\" can't be used on field \"{argument}\"");
                }

                functions.Add(($"{argument}_{function}", function, target));
                Add($"{argument}_{function}", head, null);
                continue;
            }

            Add(head, alias?.GetValueOrDefault(head) ?? head, rest);
        }

        var fields = new List<RestField>(entries.Count);
        foreach (var (key, name, rest) in entries)
        {
            if (functions.FirstOrDefault(f => f.Key == key) is { Function: not null } function)
            {
                fields.Add(function.Function == "count"
                    ? function.Field.Kind == FieldKind.OneToMany
                        ? new RestField(key, ItemFieldKind.Count, RestOutput.RowCount) { Field = function.Field }
                        : new RestField(key, ItemFieldKind.Computed, RestOutput.JsonCount) { Field = function.Field }
                    : new RestField(key, ItemFieldKind.Computed, RestOutput.DatePart) { Field = function.Field, Function = function.Function });
                continue;
            }

            var expand = rest.Count > 0;
            var field = collection.Field(name) is { } named && Readable(named, access, expand) ? named : null;
            if (field is null)
            {
                // Directus: a path that goes on past an unknown field selects nothing; one that ends there is refused.
                if (expand)
                {
                    continue;
                }

                throw Unknown(collection, name, where);
            }

            if (field.Kind == FieldKind.Scalar || (field.Kind == FieldKind.ManyToOne && !expand))
            {
                fields.Add(new RestField(key, ItemFieldKind.Scalar, RestOutput.Value) { Field = field });
                continue;
            }

            var related = field.Related!;
            var relationDeep = deep?.GetValueOrDefault(key) as IReadOnlyDictionary<string, object?> ?? (deep?.GetValueOrDefault(key) as IDictionary<string, object?>)?.AsReadOnly();
            var args = DeepArgs(relationDeep);
            var nestedDeep = relationDeep?.Where(kv => !kv.Key.StartsWith('_')).ToDictionary(kv => kv.Key, kv => kv.Value).AsReadOnly();
            var childWhere = where is null ? key : $"{where}.{key}";
            if (field.Kind == FieldKind.ManyToOne)
            {
                var joined = joinable && args.IsEmpty && JoinedRelation.CanJoin(field, access);
                var child = Build(related, rest, nestedDeep, null, access, options, childWhere, joinable: !joined, depth + 1);
                fields.Add(new RestField(key, joined ? ItemFieldKind.JoinedManyToOne : ItemFieldKind.ManyToOne, RestOutput.Item)
                {
                    Field = field,
                    Child = child,
                    Args = child.Shape(args),
                });
            }
            else if (expand)
            {
                var child = Build(related, rest, nestedDeep, null, access, options, childWhere, joinable: true, depth + 1);
                fields.Add(new RestField(key, ItemFieldKind.OneToMany, RestOutput.Items) { Field = field, Child = child, Args = child.Shape(args) });
            }
            else
            {
                var keys = new RestSelection(related, [new RestField(related.PrimaryKey.Name, ItemFieldKind.Scalar, RestOutput.Value) { Field = related.PrimaryKey }]);
                fields.Add(new RestField(key, ItemFieldKind.OneToMany, RestOutput.Keys) { Field = field, Child = keys, Args = keys.Shape(args) });
            }
        }

        return new RestSelection(collection, fields);
    }

    /// <summary>
    /// Whether the caller may read the field here: a many-to-one key needs the field's permission only (the related
    /// collection need not be readable to see the key, as in Directus); anything that reads related rows needs both.
    /// </summary>
    private static bool Readable(FieldModel field, AccessRules access, bool expand)
        => field.Kind == FieldKind.ManyToOne && !expand
            ? access.For(field.Collection, "read") is { } permission && permission.AllowsField(field.Name)
            : access.CanUse(field, "read");

    /// <summary>A relation's <c>deep</c> arguments: <c>_filter</c>, <c>_sort</c>, <c>_limit</c>, <c>_offset</c>, <c>_page</c>, <c>_search</c>.</summary>
    private static QueryArgs DeepArgs(IReadOnlyDictionary<string, object?>? deep)
    {
        if (deep is null || !deep.Keys.Any(k => k.StartsWith('_')))
        {
            return QueryArgs.None;
        }

        var parameters = deep.Where(kv => kv.Key.StartsWith('_')).ToDictionary(kv => kv.Key[1..], kv => kv.Value).AsReadOnly();
        return RestQuery.From(parameters).Args;
    }

    private static DirectusException Unknown(CollectionModel collection, string field, string? where)
        => DirectusException.Forbidden(
            $"You don't have permission to access field \"{field}\" in collection \"{collection.Name}\" or it does not exist. Queried in {(where is null ? "root" : $"\"{where}\"")}.");
}
