using System.Runtime.CompilerServices;

namespace ArtifactGraph.Tests.Infrastructure;

internal static class TestEnvironment
{
    /// <summary>
    /// Every server the tests start (in this process or as a child process, which inherits the environment) runs with
    /// EF Core's thread-safety check on, which the server turns off by default for speed: a context used by two
    /// operations at once then fails a test instead of going unnoticed.
    /// </summary>
    [ModuleInitializer]
    internal static void TurnOnThreadSafetyChecks() => Environment.SetEnvironmentVariable("DB_THREAD_SAFETY_CHECKS", "true");
}
