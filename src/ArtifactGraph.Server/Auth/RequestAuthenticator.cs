using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;

namespace ArtifactGraph.Server.Auth;

/// <summary>
/// Directus's <c>extract-token</c> + authenticate: <c>?access_token=</c> or <c>Authorization: Bearer</c> (not both);
/// no token is the public role; an unknown token is a 401 on every endpoint.
/// </summary>
public sealed class RequestAuthenticator(ITokenAuthenticator tokens, IAccessRulesProvider access, ClientAddress clients)
{
    /// <summary>The caller, with where the request came from (address, user agent, origin) for the activity it records.</summary>
    public async ValueTask<Accountability> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var token = ExtractToken(request);
        var who = token is null
            ? Accountability.Public with { Access = await access.ForAsync(null, null, cancellationToken) }
            : await tokens.AuthenticateAsync(token, cancellationToken) ?? throw DirectusException.InvalidCredentials();
        return who.From(clients.Of(request));
    }

    internal static string? ExtractToken(HttpRequest request)
    {
        string? fromQuery = request.Query.TryGetValue("access_token", out var values) && values.Count > 0 ? values[0] : null;
        var fromHeader = BearerToken(request.Headers.Authorization.ToString());
        if (!string.IsNullOrEmpty(fromQuery) && fromHeader is not null)
        {
            throw DirectusErrors.TooManyTokenSources();
        }

        return string.IsNullOrEmpty(fromQuery) ? fromHeader : fromQuery;
    }

    /// <summary>The token of an <c>Authorization: Bearer &lt;token&gt;</c> value (the scheme in any case); null for anything else.</summary>
    internal static string? BearerToken(string? header)
    {
        var parts = (header ?? "").Split(' ');
        return parts.Length == 2 && parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) && parts[1].Length > 0 ? parts[1] : null;
    }
}
