using ArtifactGraph.Data;
using ArtifactGraph.Data.Promotion;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ArtifactGraph.Tests.Data;

public sealed class PromotionSqlTests
{
    [Fact]
    public async Task BeginAsync_on_Sqlite_is_immediate_so_a_second_writer_waits_before_any_statement()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await using var db = database.CreateContext();
        await using var transaction = await PromotionSql.BeginAsync(db, CancellationToken.None);

        var builder = new SqliteConnectionStringBuilder(SqliteConnections.Normalize(database.ConnectionString)) { DefaultTimeout = 1 };
        await using var other = new SqliteConnection(builder.ToString());
        await other.OpenAsync();
        await using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";

        var error = await Assert.ThrowsAsync<SqliteException>(() => begin.ExecuteNonQueryAsync());
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY: the promotion's transaction already holds the write lock
    }
}
