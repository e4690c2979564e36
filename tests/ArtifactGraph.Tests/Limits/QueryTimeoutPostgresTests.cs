using System.Net;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using Npgsql;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>GRAPHQL_QUERY_TIMEOUT</c> on the real server over PostgreSQL, with a read made slow for certain: the test holds an
/// exclusive lock on <c>artifact_versions</c>, so a query reading it waits until the limit cancels it — in PostgreSQL
/// too — while other queries are answered.
/// </summary>
public sealed class QueryTimeoutPostgresTests
{
    [Fact]
    public async Task ReadWaitingOnALock_cancelledInTheDatabase_503_serverKeepsServing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["GRAPHQL_QUERY_TIMEOUT"] = "1000" });
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", SeededServer.AdminToken);
        await using var locker = new NpgsqlConnection(database.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE artifact_versions IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var blocked = await GraphQLAnswer.PostAsync(client, "{ artifact_versions { id } }");
        var other = await GraphQLAnswer.PostAsync(client, "{ projects(limit: 1) { id } }");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, blocked.Status);
        Assert.Equal(
            """{"errors":[{"message":"Service \"graphql\" is unavailable. Query took longer than 1000ms.","extensions":{"service":"graphql","reason":"Query took longer than 1000ms","code":"SERVICE_UNAVAILABLE"}}]}""",
            blocked.Text);
        Assert.Equal(1, other.Body.GetProperty("data").GetProperty("projects").GetArrayLength());
        Assert.True(await NobodyWaitsForALockAsync(locker), "the cancelled read still waits in PostgreSQL");

        await transaction.RollbackAsync();
        var next = await GraphQLAnswer.PostAsync(client, "{ artifact_versions(limit: 1) { id } }");
        Assert.Equal(1, next.Body.GetProperty("data").GetProperty("artifact_versions").GetArrayLength());
    }

    /// <summary>Npgsql cancels the statement in PostgreSQL once the token is cancelled; give the cancel request a moment.</summary>
    private static async Task<bool> NobodyWaitsForALockAsync(NpgsqlConnection connection)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if ((long)(await waiting.ExecuteScalarAsync())! == 0)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
