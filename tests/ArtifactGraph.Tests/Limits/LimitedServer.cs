using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// The server with the limit settings a test class needs, over the reference seed and the editor of
/// Fixtures/editor-role.json (a role that is not an administrator).
/// </summary>
public abstract class LimitedServer(IReadOnlyDictionary<string, string> environment) : ServerFixture(environment, "editor-role.json")
{
    public const string EditorToken = "editor-token";
}
