using ArtifactGraph.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary>Settings as the server would load them from these environment variables.</summary>
internal static class EnvironmentSettings
{
    public static ServerSettings Load(params (string Key, string Value)[] values)
        => SettingsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)))
            .Build());
}
