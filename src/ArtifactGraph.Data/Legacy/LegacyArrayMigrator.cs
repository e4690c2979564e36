using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Data.Legacy;

/// <summary>
/// Moves the JSON array columns of the old model (<c>artifact_versions.file_ids</c>,
/// <c>tasks.artifact_version_ids</c>) into their junction collections, in one transaction:
/// <list type="bullet">
/// <item>each uuid of an array becomes a junction row with <c>sort</c> = its position in the array + 1;</item>
/// <item>a pair (parent, target) that already has a junction row is left alone, whatever its sort: a second run adds nothing;</item>
/// <item>an element that is not a uuid string, or names no existing row, is skipped and reported (its position stays unused);</item>
/// <item>an artifact version whose <c>primary_file_id</c> is empty gets the first file of its array that exists;</item>
/// <item>with <c>dropColumns</c>, the legacy columns are dropped in the same transaction.</item>
/// </list>
/// A column that no longer exists is passed over; with neither, nothing happens.
/// </summary>
public static class LegacyArrayMigrator
{
    /// <exception cref="LegacyMigrationException">The database refused a statement; nothing was changed.</exception>
    public static async Task<LegacyArrayResult> MigrateAsync(ArtifactGraphDbContext db, bool dropColumns, CancellationToken cancellationToken)
    {
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            return await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await LegacySql.LockJunctionsAsync(db, ct);
                var results = new List<LegacyColumnResult>();
                foreach (var legacy in LegacyArrayColumn.All)
                {
                    if (!await LegacySql.ColumnExistsAsync(db, legacy, ct))
                    {
                        continue;
                    }

                    results.Add(await MigrateColumnAsync(db, legacy, ct));
                    if (dropColumns)
                    {
                        await LegacySql.DropColumnAsync(db, legacy, ct);
                    }
                }

                await transaction.CommitAsync(ct);
                return new LegacyArrayResult(results, dropColumns && results.Count > 0);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException)
        {
            var reason = (ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ");
            throw new LegacyMigrationException($"The database refused the migration, nothing was changed: {reason}", ex);
        }
    }

    private static async Task<LegacyColumnResult> MigrateColumnAsync(ArtifactGraphDbContext db, LegacyArrayColumn legacy, CancellationToken cancellationToken)
    {
        var rows = (await LegacySql.ReadRowsAsync(db, legacy, cancellationToken))
            .Select(row => (Row: row, Parent: Guid.TryParse(row.Id, out var parent) ? parent : (Guid?)null, Array: LegacyArrayValue.Parse(row.Value)))
            .ToList();
        var targetIds = rows.SelectMany(r => r.Array.Elements).Select(e => e.Id).OfType<Guid>().Distinct().ToList();
        var parentIds = rows.Select(r => r.Parent).OfType<Guid>().ToList();
        var targets = (await legacy.ExistingTargets(db, targetIds).ToListAsync(cancellationToken)).ToHashSet();
        var links = (await legacy.ExistingLinks(db, parentIds).ToListAsync(cancellationToken)).ToHashSet();

        var skipped = new List<LegacySkippedId>();
        var firstTargets = new List<LegacyLink>();
        var (created, present) = (0, 0);
        foreach (var (row, parent, array) in rows)
        {
            if (parent is null || array.Problem is not null)
            {
                skipped.Add(new(row.Id, row.Value, array.Problem ?? "the row's id is not a uuid"));
                continue;
            }

            foreach (var element in array.Elements)
            {
                var problem = element.Id is not { } target ? "not a uuid" : targets.Contains(target) ? null : $"no such {legacy.TargetTable} row";
                if (problem is not null)
                {
                    skipped.Add(new(row.Id, element.Json, problem));
                    continue;
                }

                var link = new LegacyLink(parent.Value, element.Id!.Value);
                if (firstTargets.Count == 0 || firstTargets[^1].Parent != link.Parent)
                {
                    firstTargets.Add(link);
                }

                if (links.Add(link))
                {
                    db.Add(legacy.NewJunctionRow(link, element.Position + 1));
                    created++;
                }
                else
                {
                    present++;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        int? primariesSet = null;
        if (legacy.SetFirstTargetWhereEmpty is { } setFirstTarget)
        {
            primariesSet = 0;
            foreach (var link in firstTargets)
            {
                primariesSet += await setFirstTarget(db, link, cancellationToken);
            }
        }

        return new LegacyColumnResult(legacy.QualifiedName, rows.Count, created, present, primariesSet, skipped);
    }
}
