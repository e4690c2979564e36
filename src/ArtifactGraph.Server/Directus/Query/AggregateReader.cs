using System.Globalization;
using System.Linq.Expressions;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Scalars;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>Aggregates of a collection for any transport (GraphQL's <c>c_aggregated</c>, REST's <c>aggregate</c>): one grouped query.</summary>
public static class AggregateReader
{
    /// <summary>
    /// Runs an aggregate query: <paramref name="groupBy"/> (fields or functions such as <c>year(date_created)</c>) and the
    /// requested aggregates, each a function and a field (null: <c>countAll</c>, REST's <c>count=*</c>), filtered, sorted
    /// and paged by <paramref name="args"/>. One statement; the caller's permissions apply.
    /// </summary>
    public static async Task<IReadOnlyList<AggregateRow>> ReadAsync(
        ItemReader reader, CollectionModel c, QueryArgs args, IReadOnlyList<string> groupBy, IEnumerable<(string Aggregate, string? Field)> requested,
        AccessRules access, CancellationToken cancellationToken)
    {
        // A repeated groupBy entry is the same group key (one "group" property), as when SQL groups by a column twice.
        var groups = groupBy.Select(g => Group(c, g, access)).DistinctBy(g => g.OutputName).ToList();
        var aggregates = Specs(c, requested, access);
        var results = await reader.AggregateAsync(c, args, groups, aggregates, access, cancellationToken);

        var rows = results.Select(values => ToRow(groups, aggregates, values)).ToList();
        if (groups.Count == 0 && rows.Count == 0)
        {
            rows.Add(ToRow(groups, aggregates, aggregates.Select(a => a.Aggregate.StartsWith("count", StringComparison.Ordinal) ? (object?)0 : null).ToArray()));
        }

        var sorted = Sort(rows, args.Sort ?? (groups.Count > 0 ? [groups[0].OutputName] : []), groups);
        var (skip, take) = args.Window(reader.Options.DefaultLimit, reader.Options.MaxLimit);
        var page = sorted.Skip(skip);
        return (take is { } t ? page.Take(t) : page).ToList();
    }

    private static GroupSpec Group(CollectionModel c, string path, AccessRules access)
    {
        var open = path.IndexOf('(');
        if (open > 0 && path.EndsWith(')'))
        {
            var function = path[..open];
            var field = Field(c, path[(open + 1)..^1], access);
            return new GroupSpec($"{field.Name}_{function}", true, x => FunctionFilter.Apply(field, x, function));
        }

        var f = Field(c, path, access);
        if (f.Kind == FieldKind.OneToMany)
        {
            throw DirectusException.InvalidQuery($"Cannot group by the one-to-many field \"{f.Name}\"");
        }

        return new GroupSpec(f.Name, false, x => Expression.Property(x, f.Property!));
    }

    private static List<AggregateSpec> Specs(CollectionModel c, IEnumerable<(string Aggregate, string? Field)> requested, AccessRules access)
    {
        var specs = new List<AggregateSpec>();
        foreach (var (name, sub) in requested)
        {
            if (sub is null)
            {
                specs.Add(new AggregateSpec("countAll", null));
                continue;
            }

            var target = Field(c, sub, access);
            if (target.Kind == FieldKind.OneToMany)
            {
                throw new DirectusException("INVALID_QUERY", $"Invalid query. Cannot aggregate the one-to-many field \"{sub}\": it is not a column.", 400);
            }

            if (name == "countDistinct" && target.IsJson)
            {
                throw DirectusException.InvalidQuery($"Cannot count distinct values of the JSON field \"{sub}\"");
            }

            specs.Add(new AggregateSpec(name, target));
        }

        return specs.Distinct().ToList();
    }

    private static AggregateRow ToRow(IReadOnlyList<GroupSpec> groups, IReadOnlyList<AggregateSpec> aggregates, object?[] values)
    {
        var row = new AggregateRow
        {
            Group = groups.Count == 0 ? null : groups.Select((g, i) => (g.OutputName, Value: GroupValue(g, values[i]))).ToDictionary(p => p.OutputName, p => p.Value),
        };
        for (var i = 0; i < aggregates.Count; i++)
        {
            var spec = aggregates[i];
            var value = values[groups.Count + i];
            if (spec.Field is null)
            {
                row.CountAll = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                continue;
            }

            if (!row.Aggregates.TryGetValue(spec.Aggregate, out var byField))
            {
                row.Aggregates[spec.Aggregate] = byField = [];
            }

            byField[spec.Field.Name] = value;
        }

        return row;
    }

    /// <summary>Group values as Directus returns them: raw keys, ISO timestamps, date parts as strings (PostgreSQL numeric).</summary>
    private static object? GroupValue(GroupSpec group, object? value) => value switch
    {
        null => null,
        _ when group.IsFunction => Convert.ToString(value, CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        DateTime d => DateScalar.Format(d),
        _ => value,
    };

    private static IEnumerable<AggregateRow> Sort(List<AggregateRow> rows, IReadOnlyList<string> sort, IReadOnlyList<GroupSpec> groups)
    {
        IOrderedEnumerable<AggregateRow>? ordered = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in sort)
        {
            var descending = raw.StartsWith('-');
            var name = descending ? raw[1..] : raw;
            if (!seen.Add(name))
            {
                continue; // a repeated key orders nothing further, and each ThenBy nests one level deeper
            }

            var group = groups.FirstOrDefault(g => g.OutputName == name || GroupPath(g) == name);
            Func<AggregateRow, object?> key = group is not null
                ? r => GroupSortValue(group, r.Group?.GetValueOrDefault(group.OutputName))
                : name == "countAll" ? r => r.CountAll
                : AggregateKey(name);
            var comparer = NullsLastComparer.Instance;
            ordered = ordered is null
                ? descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer)
                : descending ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer);
        }

        return ordered ?? (IEnumerable<AggregateRow>)rows;
    }

    /// <summary>A function's group value is a number's text (as Directus answers it) but sorts as the number, as in SQL.</summary>
    private static object? GroupSortValue(GroupSpec group, object? value)
        => group.IsFunction && value is string text ? double.Parse(text, CultureInfo.InvariantCulture) : value;

    private static string GroupPath(GroupSpec g)
    {
        var cut = g.OutputName.LastIndexOf('_');
        return g.IsFunction && cut > 0 ? $"{g.OutputName[(cut + 1)..]}({g.OutputName[..cut]})" : g.OutputName;
    }

    private static Func<AggregateRow, object?> AggregateKey(string path)
    {
        var dot = path.IndexOf('.');
        if (dot < 0)
        {
            throw DirectusException.InvalidQuery($"Cannot sort aggregates by \"{path}\": sort by a groupBy field or an aggregate such as count.id");
        }

        var (aggregate, field) = (path[..dot], path[(dot + 1)..]);
        return r => r.Values(aggregate).GetValueOrDefault(field);
    }

    private static FieldModel Field(CollectionModel c, string name, AccessRules access)
        => access.Readable(c, name) ?? throw DirectusException.Forbidden(
            $"You don't have permission to access field \"{name}\" in collection \"{c.Name}\" or it does not exist. Queried in root.");

    /// <summary>PostgreSQL's order: NULL after every value when ascending.</summary>
    private sealed class NullsLastComparer : IComparer<object?>
    {
        public static readonly NullsLastComparer Instance = new();

        public int Compare(object? a, object? b) => (a, b) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            (string s, string t) => string.CompareOrdinal(s, t),
            _ when a is IConvertible && b is IConvertible && a.GetType() != b.GetType()
                => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
            _ => Comparer<object>.Default.Compare(a, b),
        };
    }
}
