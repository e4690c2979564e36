namespace ArtifactGraph.Server.Configuration;

/// <summary>A setting has a value the server cannot use; the message names the variable.</summary>
public sealed class SettingsException(string variable, string message, Exception? inner = null)
    : Exception($"{variable}: {message}", inner)
{
    public string Variable { get; } = variable;
}
