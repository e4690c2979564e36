using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Says whether a key literal might name a row of the test data, in any spelling a server could accept: any UUID
/// format (case, braces, no dashes) of a seed key, or any number of small magnitude (integer keys count from 1).
/// </summary>
internal sealed class KeyGuard
{
    private const double SmallNumbers = 1_000_000;

    private readonly HashSet<Guid> _uuids;

    private KeyGuard(HashSet<Guid> uuids) => _uuids = uuids;

    public static KeyGuard FromSeed()
    {
        var uuids = new HashSet<Guid>();
        foreach (var file in new[] { SharedPaths.SeedData, SharedPaths.Fixture("oracle-admin.json") })
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var rows in document.RootElement.EnumerateObject())
            {
                foreach (var row in rows.Value.EnumerateArray())
                {
                    if (row.TryGetProperty("id", out var id) && Guid.TryParse(id.ToString(), out var guid))
                    {
                        uuids.Add(guid);
                    }
                }
            }
        }

        return new KeyGuard(uuids);
    }

    public bool MayExist(string literal)
    {
        var text = literal.Trim();
        if (Guid.TryParse(text, out var guid))
        {
            return _uuids.Contains(guid);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && (double.IsNaN(number) || Math.Abs(number) < SmallNumbers);
    }
}
