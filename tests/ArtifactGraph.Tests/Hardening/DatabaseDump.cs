using System.Security.Cryptography;
using System.Text;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Every table of a test database as a row count and a SHA-256 of its rows (each row as JSON, sorted), plus the files
/// in its storage folder: two dumps are equal exactly when no row and no stored file changed.
/// </summary>
public sealed record DatabaseDump(IReadOnlyDictionary<string, string> Tables)
{
    public static async Task<DatabaseDump> TakeAsync(TestDatabase database)
    {
        var tables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var names = database.Client == DatabaseClient.Sqlite
            ? await database.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            : await database.QueryAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        foreach (var name in names.Select(n => n!))
        {
            var rows = database.Client == DatabaseClient.Sqlite
                ? await database.QueryAsync($"SELECT json_array({string.Join(", ", (await database.QueryAsync($"SELECT name FROM pragma_table_info('{name}')")).Select(c => $"\"{c}\""))}) FROM \"{name}\"")
                : await database.QueryAsync($"SELECT row_to_json(t)::text FROM \"{name}\" t");
            tables[name] = $"{rows.Count} rows, sha256 {Hash(rows.Select(r => r ?? "<null>").Order(StringComparer.Ordinal))}";
        }

        var storage = database.Settings.StorageLocalRoot;
        var files = Directory.Exists(storage)
            ? Directory.GetFiles(storage, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetRelativePath(storage, f)}:{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
            : [];
        tables["(storage)"] = $"sha256 {Hash(files)}";
        return new DatabaseDump(tables);
    }

    /// <summary>The tables whose count or content differ, with both descriptions.</summary>
    public IEnumerable<string> Differences(DatabaseDump after)
        => Tables.Keys.Union(after.Tables.Keys).Order(StringComparer.Ordinal)
            .Where(t => Tables.GetValueOrDefault(t) != after.Tables.GetValueOrDefault(t))
            .Select(t => $"{t}: before {Tables.GetValueOrDefault(t) ?? "absent"}, after {after.Tables.GetValueOrDefault(t) ?? "absent"}");

    private static string Hash(IEnumerable<string> lines)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))))[..16];
}
