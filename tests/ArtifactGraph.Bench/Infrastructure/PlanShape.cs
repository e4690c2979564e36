using System.Text.Json;
using Npgsql;

namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>
/// The shape of PostgreSQL's plan for a statement as pg_stat_statements keeps it (constants replaced by <c>$n</c>):
/// prepared as written, its generic plan (<c>plan_cache_mode = force_generic_plan</c>, all parameters null) explained,
/// and the plan's nodes written as one line, outermost first, e.g. <c>Limit › Index Scan using x on artifact_versions</c>.
/// A generic plan can differ from the plan PostgreSQL made for the values sent; the line is a hint, not a proof.
/// </summary>
public static class PlanShape
{
    public static async Task<string> DescribeAsync(PostgresAdmin postgres, string database, string statement, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenAsync(database, cancellationToken);
        try
        {
            await Execute(connection, "SET plan_cache_mode = force_generic_plan", cancellationToken);
            await Execute(connection, $"PREPARE plan_shape AS {statement}", cancellationToken);
            await using var count = new NpgsqlCommand("SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = 'plan_shape'", connection);
            var parameters = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            var arguments = parameters == 0 ? "" : "(" + string.Join(", ", Enumerable.Repeat("NULL", parameters)) + ")";
            await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) EXECUTE plan_shape{arguments}", connection);
            var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(cancellationToken))!);
            var nodes = new List<string>();
            Walk(plan.RootElement[0].GetProperty("Plan"), nodes);
            return string.Join(" › ", nodes);
        }
        catch (PostgresException ex)
        {
            return $"(no plan: {ex.MessageText})";
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Depth first, outermost first; scans name their table and index, the rest their node type.
    private static void Walk(JsonElement node, List<string> nodes)
    {
        var text = node.GetProperty("Node Type").GetString()!;
        if (node.TryGetProperty("Index Name", out var index))
        {
            text += $" using {index.GetString()}";
        }

        if (node.TryGetProperty("Relation Name", out var relation))
        {
            text += $" on {relation.GetString()}";
        }

        nodes.Add(text);
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, nodes);
            }
        }
    }
}
