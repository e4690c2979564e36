using System.Data.Common;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// Directus's translation of constraint violations (spec §9.4) into <c>RECORD_NOT_UNIQUE</c>, <c>INVALID_FOREIGN_KEY</c>,
/// <c>NOT_NULL_VIOLATION</c>, <c>VALUE_TOO_LONG</c> and <c>VALUE_OUT_OF_RANGE</c>. The field comes from the
/// constraint's name looked up in the model (PostgreSQL redacts error details by default) or from SQLite's message;
/// the value is the one in the submitted payload. No database text ever reaches the answer.
/// </summary>
public sealed class DatabaseErrors
{
    private readonly Dictionary<string, (string Collection, string Fields)> constraints = new(StringComparer.Ordinal);

    public DatabaseErrors(IModel model, DirectusModel directus)
    {
        foreach (var entity in model.GetEntityTypes())
        {
            if (!directus.Collections.Any(c => c.EntityType == entity.ClrType))
            {
                continue;
            }

            var collection = directus.ForType(entity.ClrType).Name;
            foreach (var key in entity.GetKeys())
            {
                Add(key.GetName(), collection, key.Properties);
            }

            // The migrations (and Directus) name primary keys <table>_pkey, PostgreSQL's own default.
            Add($"{entity.GetTableName()}_pkey", collection, entity.FindPrimaryKey()!.Properties);

            foreach (var index in entity.GetIndexes().Where(i => i.IsUnique))
            {
                Add(index.GetDatabaseName(), collection, index.Properties);
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                Add(foreignKey.GetConstraintName(), collection, foreignKey.Properties);
            }
        }
    }

    /// <summary>The Directus error for a database exception, or null when it is not a constraint violation we know.</summary>
    public DirectusException? Translate(Exception exception, Func<string, string, object?> payloadValue)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException pg:
                    return FromPostgres(pg, payloadValue);
                case SqliteException sqlite when sqlite.SqliteErrorCode == 19:
                    return FromSqlite(sqlite, payloadValue);
                case DbException:
                    return null;
            }
        }

        return null;
    }

    private DirectusException? FromPostgres(PostgresException pg, Func<string, string, object?> payloadValue)
    {
        var (collection, field) = pg.ConstraintName is { } name && constraints.TryGetValue(name, out var known)
            ? known
            : (pg.TableName, pg.ColumnName);
        var value = collection is null || field is null ? null : payloadValue(collection, field);
        return pg.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => DirectusException.RecordNotUnique(collection, field, value),
            PostgresErrorCodes.ForeignKeyViolation => DirectusException.InvalidForeignKey(collection, field, value),
            PostgresErrorCodes.NotNullViolation => DirectusException.NotNullViolation(pg.TableName, pg.ColumnName),
            PostgresErrorCodes.StringDataRightTruncation => DirectusException.ValueTooLong(pg.TableName, null, null),
            PostgresErrorCodes.NumericValueOutOfRange => DirectusException.ValueOutOfRange(pg.TableName, null, null),
            _ => null,
        };
    }

    private static DirectusException? FromSqlite(SqliteException sqlite, Func<string, string, object?> payloadValue)
    {
        // "SQLite Error 19: 'UNIQUE constraint failed: artifact_versions.project_id, artifact_versions.schema_key'."
        var message = sqlite.Message;
        var start = message.IndexOf("failed: ", StringComparison.Ordinal);
        string? collection = null, field = null;
        if (start >= 0)
        {
            var columns = message[(start + "failed: ".Length)..].TrimEnd('.', '\'').Split(", ");
            collection = columns[0].Split('.')[0];
            field = string.Join(", ", columns.Select(c => c[(c.IndexOf('.') + 1)..]));
        }

        return sqlite.SqliteExtendedErrorCode switch
        {
            2067 or 1555 => DirectusException.RecordNotUnique(collection, field, collection is null || field is null ? null : payloadValue(collection, field)),
            787 => DirectusException.InvalidForeignKey(null, null, null),
            1299 => DirectusException.NotNullViolation(collection, field),
            _ => null,
        };
    }

    private void Add(string? name, string collection, IReadOnlyList<IProperty> properties)
    {
        if (name is not null)
        {
            constraints.TryAdd(name, (collection, string.Join(", ", properties.Select(p => p.GetColumnName()))));
        }
    }
}
