using ArtifactGraph.Server.Errors;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// The media type of a <c>/graphql</c> answer, chosen from the request's <c>Accept</c> header. Directus knows only
/// <c>application/json</c> (every well-formed request that executed is a 200); a client that prefers
/// <c>application/graphql-response+json</c> gets the GraphQL-over-HTTP status codes (400 for a request that did not
/// execute, <c>"data": null</c> with 200 when a non-null root field failed). No Accept, <c>*/*</c> and
/// <c>application/*</c> keep Directus's behaviour; nothing acceptable is a 406.
/// </summary>
internal enum ResponseMediaType
{
    Json,
    GraphQLResponseJson,
}

internal static class ResponseMediaTypes
{
    public const string Json = "application/json";
    public const string GraphQLResponseJson = "application/graphql-response+json";

    private static readonly string[] Supported = [Json, GraphQLResponseJson];

    /// <summary>The chosen type; graphql-response+json only when named explicitly and weighted at least as high as JSON.</summary>
    /// <exception cref="DirectusException">NOT_ACCEPTABLE (406) when neither type is acceptable.</exception>
    public static ResponseMediaType Negotiate(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return ResponseMediaType.Json;
        }

        var graphQLResponse = ranges.Where(r => r.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            .Select(Quality).DefaultIfEmpty(0).Max();
        var json = QualityOf(ranges, Json);
        if (graphQLResponse > 0 && graphQLResponse >= json)
        {
            return ResponseMediaType.GraphQLResponseJson;
        }

        return json > 0 ? ResponseMediaType.Json : throw DirectusErrors.NotAcceptable(accept.ToString(), Supported);
    }

    /// <summary>Remembers the type for every writer of this request's answer (errors included).</summary>
    public static void Set(HttpContext context, ResponseMediaType type) => context.Items[typeof(ResponseMediaType)] = type;

    public static ResponseMediaType Get(HttpContext context)
        => context.Items.TryGetValue(typeof(ResponseMediaType), out var type) && type is ResponseMediaType chosen ? chosen : ResponseMediaType.Json;

    public static string ContentType(ResponseMediaType type)
        => (type == ResponseMediaType.GraphQLResponseJson ? GraphQLResponseJson : Json) + "; charset=utf-8";

    /// <summary>RFC 9110 §12.5.1: the weight of the most specific range that matches (type/subtype, type/*, */*).</summary>
    private static double QualityOf(IList<MediaTypeHeaderValue> ranges, string mediaType)
    {
        var type = mediaType[..mediaType.IndexOf('/', StringComparison.Ordinal)];
        var best = ranges.Where(r => r.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)).ToList();
        if (best.Count == 0)
        {
            best = ranges.Where(r => r.MediaType.Equals(type + "/*", StringComparison.OrdinalIgnoreCase)).ToList();
        }

        if (best.Count == 0)
        {
            best = ranges.Where(r => r.MediaType.Equals("*/*", StringComparison.Ordinal)).ToList();
        }

        return best.Select(Quality).DefaultIfEmpty(0).Max();
    }

    private static double Quality(MediaTypeHeaderValue range) => range.Quality ?? 1;
}
