using Npgsql;

namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL login role (with the test superuser's privileges, but not a superuser) through which a server reaches a
/// test database, and which the test can take away: <see cref="GoAwayAsync"/> ends its sessions and refuses new ones
/// (53300, too many connections for the role) as a database that is away would, until <see cref="ComeBackAsync"/>.
/// </summary>
public sealed class AwayRole : IAsyncDisposable
{
    private readonly string admin;
    private readonly string name;

    private AwayRole(string admin, string name, string connectionString)
    {
        this.admin = admin;
        this.name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The test database, reached as this role.</summary>
    public string ConnectionString { get; }

    public static async Task<AwayRole> CreateAsync(TestDatabase database)
    {
        var admin = Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)!;
        var name = "ag_away_" + Guid.NewGuid().ToString("N")[..12];
        var superuser = new NpgsqlConnectionStringBuilder(admin).Username;
        await ExecuteAsync(admin, $"CREATE ROLE {name} LOGIN; GRANT \"{superuser}\" TO {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = name, Password = null }.ConnectionString;
        return new AwayRole(admin, name, connectionString);
    }

    public Task GoAwayAsync()
        => ExecuteAsync(admin, $"ALTER ROLE {name} CONNECTION LIMIT 0; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'");

    public Task ComeBackAsync() => ExecuteAsync(admin, $"ALTER ROLE {name} CONNECTION LIMIT -1");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await GoAwayAsync();
        await ExecuteAsync(admin, $"DROP ROLE IF EXISTS {name}");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
