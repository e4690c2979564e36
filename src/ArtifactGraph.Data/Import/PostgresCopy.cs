using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ArtifactGraph.Data.Import;

/// <summary>
/// Writes a chunk of entities of one type with PostgreSQL's binary COPY, column by column from the EF model (column
/// names, store types and EF's value converters), leaving out what EF's INSERT would leave out.
/// </summary>
internal sealed class PostgresCopy
{
    private readonly string table;
    private readonly IReadOnlyList<Column> columns;

    public PostgresCopy(IEntityType entityType)
    {
        var schema = entityType.GetSchema();
        table = (schema is null ? "" : Quote(schema) + ".") + Quote(entityType.GetTableName()!);
        columns = entityType.GetProperties().Where(p => p.PropertyInfo is not null).Select(p => new Column(p)).ToList();
    }

    /// <returns>
    /// false, writing nothing, when the chunk does not fit one COPY: a column the database fills (a serial id, a
    /// default like <c>CURRENT_TIMESTAMP</c>) given in some rows and not in others. EF inserts such a chunk instead.
    /// </returns>
    /// <exception cref="PostgresException">The database refused a row; the transaction must go back to a savepoint.</exception>
    public async Task<bool> TryCopyAsync(NpgsqlConnection connection, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var included = new List<Column>(columns.Count);
        foreach (var column in columns)
        {
            var unset = column.LeftToTheDatabase ? rows.Count(r => column.IsUnset(r.Entity)) : 0;
            if (unset == 0)
            {
                included.Add(column);
            }
            else if (unset < rows.Count)
            {
                return false;
            }
        }

        var sql = $"COPY {table} ({string.Join(", ", included.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            // The synchronous writes only fill Npgsql's buffer (flushing it now and then): no task per value.
            importer.StartRow();
            foreach (var column in included)
            {
                var value = column.ProviderValue(row.Entity);
                if (value is null)
                {
                    importer.WriteNull();
                }
                else
                {
                    importer.Write(value, column.DataTypeName);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return true;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private sealed class Column
    {
        private readonly IClrPropertyGetter getter;
        private readonly Func<object?, object?>? toProvider;
        private readonly object? sentinel;
        private readonly object? constantDefault;

        public Column(IProperty property)
        {
            var mapping = property.GetRelationalTypeMapping();
            Name = property.GetColumnName();
            DataTypeName = mapping.StoreTypeNameBase;
            getter = property.GetGetter();
            toProvider = mapping.Converter?.ConvertToProvider;
            sentinel = property.Sentinel;

            // EF leaves a generated property out of its INSERT while it holds its sentinel (0, null…): a constant default
            // is written in its place; a serial id or a SQL default is left out, as EF does.
            if (property.ValueGenerated != ValueGenerated.Never)
            {
                constantDefault = property.GetDefaultValue();
                LeftToTheDatabase = constantDefault is null;
            }
        }

        public string Name { get; }

        public string DataTypeName { get; }

        public bool LeftToTheDatabase { get; }

        public bool IsUnset(object entity) => Equals(getter.GetClrValue(entity), sentinel);

        public object? ProviderValue(object entity)
        {
            var value = getter.GetClrValue(entity);
            if (constantDefault is not null && Equals(value, sentinel))
            {
                value = constantDefault;
            }

            return value is null || toProvider is null ? value : toProvider(value);
        }
    }
}
