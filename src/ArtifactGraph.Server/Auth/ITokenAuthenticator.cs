namespace ArtifactGraph.Server.Auth;

/// <summary>Resolves a static access token to the accountability of its active user; null when no such user.</summary>
public interface ITokenAuthenticator
{
    ValueTask<Accountability?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
