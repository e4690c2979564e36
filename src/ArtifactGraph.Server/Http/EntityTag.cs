using System.Buffers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Express's weak ETag (<c>W/"&lt;length in hex&gt;-&lt;SHA-1 in base64, 27 characters&gt;"</c>), which Directus sends with
/// every answer, and its freshness check (the <c>fresh</c> package): a <c>GET</c> or <c>HEAD</c> whose
/// <c>If-None-Match</c> names the answer's tag is answered 304 without a body, so a browser revalidating what it holds
/// downloads nothing. The same bytes give the same tag as Directus's.
/// </summary>
public static partial class EntityTag
{
    public static string Weak(ReadOnlySequence<byte> body)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (var segment in body)
        {
            sha1.AppendData(segment.Span);
        }

        return $"W/\"{body.Length:x}-{Convert.ToBase64String(sha1.GetHashAndReset())[..27]}\"";
    }

    public static string Weak(byte[] body) => Weak(new ReadOnlySequence<byte>(body));

    /// <summary>
    /// Sets the tag and, when the request already holds that answer, makes the response an empty 304 (true: write nothing).
    /// Only a 2xx answer to <c>GET</c> or <c>HEAD</c> (Express's <c>req.fresh</c>).
    /// </summary>
    public static bool SetAndCheck(HttpContext context, string tag)
    {
        var response = context.Response;
        response.Headers.ETag = tag;
        if (!(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            || response.StatusCode is < 200 or >= 300 || !Fresh(context.Request, tag))
        {
            return false;
        }

        response.StatusCode = StatusCodes.Status304NotModified;
        response.ContentType = null;
        response.ContentLength = null;
        return true;
    }

    /// <summary>The <c>fresh</c> package, without <c>If-Modified-Since</c> (the answers have no <c>Last-Modified</c>).</summary>
    private static bool Fresh(HttpRequest request, string tag)
    {
        var noneMatch = request.Headers.IfNoneMatch.ToString();
        if (request.Headers.IfModifiedSince.Count > 0 || noneMatch.Length == 0 || NoCache().IsMatch(request.Headers.CacheControl.ToString()))
        {
            // With If-Modified-Since, fresh also wants a Last-Modified, which these answers do not have.
            return false;
        }

        if (noneMatch == "*")
        {
            return true;
        }

        var strong = tag[2..];
        foreach (var match in noneMatch.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (match == tag || match == strong || "W/" + match == tag)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?:^|,)\s*?no-cache\s*?(?:,|$)")]
    private static partial Regex NoCache();
}
