using Npgsql;

namespace ArtifactGraph.Data.Resilience;

/// <summary>Tells a database that is away (or refusing connections for now) from every other database error.</summary>
public static class DatabaseFaults
{
    /// <summary>
    /// True when <paramref name="exception"/> (or what it wraps) says the database cannot be reached or cannot take the
    /// request now: a connection refused, reset or timed out, PostgreSQL shutting down or starting (57P01, 57P02, 57P03),
    /// a lost connection (08xxx) or too many connections (53300). Serialization failures and deadlocks are not.
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                    or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                    || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
            }

            if (current is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
