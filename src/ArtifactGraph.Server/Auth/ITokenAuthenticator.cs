namespace ArtifactGraph.Server.Auth;

/// <summary>Resolves a static access token to the accountability of its active user; null when no such user.</summary>
public interface ITokenAuthenticator
{
    ValueTask<Accountability?> AuthenticateAsync(string token, CancellationToken cancellationToken);

    /// <summary>
    /// The user of a token this authenticator has accepted before, from memory and without asking the database; null
    /// when it does not know the token (or knows it as invalid). The rate limiter counts such a token's requests per user.
    /// </summary>
    Guid? KnownUser(string token) => null;
}
