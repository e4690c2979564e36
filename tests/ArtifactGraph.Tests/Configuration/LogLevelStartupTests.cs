using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArtifactGraph.Tests.Configuration;

public sealed class LogLevelStartupTests
{
    [Theory]
    [InlineData("error", LogLevel.Error)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("silent", LogLevel.None)]
    public async Task Server_logLevelSet_isTheMinimumLevelOfItsLoggers(string value, LogLevel minimum)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("LOG_LEVEL", value)
            .UseSetting("DB_FILENAME", new SqliteConnectionStringBuilder(db.ConnectionString).DataSource)
            .UseSetting("STORAGE_LOCAL_ROOT", db.Settings.StorageLocalRoot));

        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ArtifactGraph.Test");

        Assert.Equal(
            Enum.GetValues<LogLevel>().Where(l => l != LogLevel.None).Select(l => l >= minimum),
            Enum.GetValues<LogLevel>().Where(l => l != LogLevel.None).Select(logger.IsEnabled));
    }
}
