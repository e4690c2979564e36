using System.Text.Json;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>An HTTP answer as received.</summary>
public sealed record Answer(int Status, string? ContentType, byte[] Body, TimeSpan Elapsed, string? TransportError = null);

/// <summary>
/// The assertions every answer must pass. Each broken rule is one line of the returned list (empty: the answer is fine):
/// a status of 200 or 4xx; a JSON body; a top-level <c>errors</c> array unless the request may be valid; every error
/// with a message and a Directus code whose HTTP status matches; no INTERNAL_SERVER_ERROR at all, whatever the status (a
/// client's request is never an internal error, not even graphql-js's request errors); nothing that looks like a stack trace, SQL or a file path in any message; no collection data for an identity
/// that may not read it.
/// </summary>
public static partial class AnswerChecker
{
    /// <summary>Directus's catalogue (spec §9.3) with each code's status outside GraphQL execution.</summary>
    public static readonly IReadOnlyDictionary<string, int> Codes = new Dictionary<string, int>
    {
        ["FORBIDDEN"] = 403, ["INVALID_PAYLOAD"] = 400, ["INVALID_QUERY"] = 400, ["RECORD_NOT_UNIQUE"] = 400, ["INVALID_FOREIGN_KEY"] = 400,
        ["NOT_NULL_VIOLATION"] = 400, ["VALUE_TOO_LONG"] = 400, ["VALUE_OUT_OF_RANGE"] = 400, ["CONTAINS_NULL_VALUES"] = 400,
        ["FAILED_VALIDATION"] = 400, ["GRAPHQL_VALIDATION"] = 400, ["GRAPHQL_EXECUTION"] = 400, ["TOKEN_EXPIRED"] = 401,
        ["INVALID_CREDENTIALS"] = 401, ["INVALID_TOKEN"] = 403, ["INVALID_OTP"] = 401, ["METHOD_NOT_ALLOWED"] = 405, ["ROUTE_NOT_FOUND"] = 404,
        ["RANGE_NOT_SATISFIABLE"] = 416, ["CONTENT_TOO_LARGE"] = 413, ["UNSUPPORTED_MEDIA_TYPE"] = 415, ["ILLEGAL_ASSET_TRANSFORMATION"] = 400,
        ["REQUESTS_EXCEEDED"] = 429, ["SERVICE_UNAVAILABLE"] = 503, ["INTERNAL_SERVER_ERROR"] = 500,
    };

    /// <summary>Texts a message may only hold when the request itself holds them (an echo of the input, not a leak).</summary>
    private static readonly string[] LeakMarkers =
    [
        "   at ", ".cs:line", "--- End of stack trace", "Exception:", "SELECT ", "FROM \"", "INSERT ", "UPDATE \"", "DELETE FROM", "WHERE \"",
        "syntax error at or near", "SQLite Error", "SQLITE_", "no such column", "no such table", "Npgsql", "Microsoft.EntityFrameworkCore",
        "PostgresException", "SqliteException", "42P01", "42703", "22P02", "invalid input syntax for", "could not be translated",
        "LINQ", "/_/src/", ".dll", .. MachinePaths(),
    ];

    /// <summary>Strings that only a read of the seed data can produce (names, keys, the admin's email and token).</summary>
    private static readonly string[] SeedMarkers =
    [
        "Apollo", "Borealis", "admin@example.com", Identity.AdminToken, "aaaaaaaa-0000-4000-8000-", "bbbbbbbb-0000-4000-8000-",
        "cccccccc-0000-4000-8000-", "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "0a000000-0000-4000-8000-",
    ];

    private static readonly string[] CollectionTypes =
    [
        "tasks", "projects", "artifact_versions", "artifact_files", "task_artifacts", "artifact_approvals", "directus_files",
        "directus_users", "directus_roles", "directus_folders",
    ];

    public static List<string> Check(BadRequest request, Answer answer, IReadOnlyDictionary<string, string> baselines)
    {
        var problems = new List<string>();
        if (answer.TransportError is { } failure)
        {
            problems.Add($"no answer: {failure}");
            return problems;
        }

        if (answer.Status >= 500 || answer.Status < 200 || (answer.Status >= 300 && answer.Status < 400))
        {
            problems.Add($"status {answer.Status}");
        }

        if (request.ExpectedStatus is { } expected && answer.Status != expected)
        {
            problems.Add($"status {answer.Status}, expected {expected}");
        }

        if (request.Expectation == Expectation.BytesOrError && answer.Status is 200 or 206 or 304)
        {
            return problems;
        }

        if (answer.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Content-Type '{answer.ContentType}'");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(answer.Body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            problems.Add($"body is not JSON ({ex.Message}): {Preview(answer.Body)}");
            return problems;
        }

        using (document)
        {
            if (request.Expectation == Expectation.SameAsBaseline)
            {
                var body = System.Text.Encoding.UTF8.GetString(answer.Body);
                if (!baselines.TryGetValue(request.BaselineKey!, out var baseline) || body != baseline)
                {
                    problems.Add($"answer differs from the baseline: {Preview(answer.Body)}");
                }

                return problems;
            }

            CheckEnvelope(request, answer, document.RootElement, problems);
        }

        return problems;
    }

    private static void CheckEnvelope(BadRequest request, Answer answer, JsonElement root, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body is not a JSON object");
            return;
        }

        var hasData = root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null;
        var hasErrors = root.TryGetProperty("errors", out var errors);
        if (hasErrors && (errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0))
        {
            problems.Add("'errors' is not a non-empty array");
            return;
        }

        if (!hasErrors && !hasData)
        {
            problems.Add("neither 'errors' nor 'data'");
        }

        if (!hasErrors && request.Expectation == Expectation.Error)
        {
            problems.Add("an invalid request answered without errors");
        }

        if (hasData && (answer.Status != 200 || (request.Expectation == Expectation.Error && HasNonNullRootField(data))))
        {
            problems.Add($"data with status {answer.Status} for a request that must fail");
        }

        if (hasData && !request.Identity.IsAdmin && RevealsCollections(data, request.EchoableText))
        {
            problems.Add($"identity '{request.Identity.Name}' received collection data");
        }

        if (!hasErrors)
        {
            return;
        }

        foreach (var error in errors.EnumerateArray())
        {
            CheckError(request, answer, error, problems);
        }
    }

    private static void CheckError(BadRequest request, Answer answer, JsonElement error, List<string> problems)
    {
        if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            problems.Add($"error without a message string: {Truncate(error.GetRawText())}");
            return;
        }

        if (!error.TryGetProperty("extensions", out var extensions) || !extensions.TryGetProperty("code", out var codeElement)
            || codeElement.GetString() is not { } code)
        {
            problems.Add($"error without extensions.code: {Truncate(error.GetRawText())}");
            return;
        }

        if (!Codes.TryGetValue(code, out var codeStatus))
        {
            problems.Add($"code {code} is not in Directus's catalogue");
        }
        else if (answer.Status != 200 && codeStatus != answer.Status)
        {
            problems.Add($"code {code} (HTTP {codeStatus}) answered with status {answer.Status}");
        }

        if (code == "INTERNAL_SERVER_ERROR")
        {
            problems.Add($"unexpected error (INTERNAL_SERVER_ERROR): {Truncate(error.GetRawText())}");
        }

        foreach (var text in MessagesOf(error))
        {
            foreach (var marker in LeakMarkers.Where(m => text.Contains(m, StringComparison.Ordinal) && !request.EchoableText.Contains(m, StringComparison.Ordinal)))
            {
                problems.Add($"message holds '{marker.Trim()}': {Truncate(text)}");
            }

            if (TypeName().Match(text) is { Success: true } typeName && !request.EchoableText.Contains(typeName.Value, StringComparison.Ordinal))
            {
                problems.Add($"message names a .NET type '{typeName.Value}': {Truncate(text)}");
            }
        }
    }

    private static IEnumerable<string> MessagesOf(JsonElement error)
    {
        yield return error.GetProperty("message").GetString()!;
        if (error.GetProperty("extensions") is { ValueKind: JsonValueKind.Object } extensions)
        {
            if (extensions.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
            {
                yield return reason.GetString()!;
            }

            if (extensions.TryGetProperty("errors", out var inner) && inner.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in inner.EnumerateArray())
                {
                    if (e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        yield return m.GetString()!;
                    }
                }
            }
        }
    }

    private static bool HasNonNullRootField(JsonElement data)
        => data.ValueKind == JsonValueKind.Object && data.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null);

    /// <summary>Any seed value, or any collection's type name, anywhere in the data (introspection included) that the request did not send.</summary>
    private static bool RevealsCollections(JsonElement data, string requestText)
    {
        var raw = data.GetRawText();
        return SeedMarkers.Any(m => raw.Contains(m, StringComparison.Ordinal) && !requestText.Contains(m, StringComparison.Ordinal))
            || Strings(data).Any(s => CollectionTypes.Any(t => s == t || s.StartsWith(t + "_", StringComparison.Ordinal)));
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    /// <summary>Where the server and its data live on this machine: no message may name them.</summary>
    private static IEnumerable<string> MachinePaths()
        => new[]
            {
                Infrastructure.SharedPaths.RepositoryRoot, Path.GetTempPath(), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "",
            }
            .Select(p => p.TrimEnd(Path.DirectorySeparatorChar))
            .Where(p => p.Length > 1)
            .Distinct(StringComparer.Ordinal);

    private static string Preview(byte[] body) => Truncate(System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 400))));

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"\b(System|Microsoft|Npgsql|GraphQLParser|GraphQL|ArtifactGraph|SQLitePCL)\.[A-Z][A-Za-z]+")]
    private static partial Regex TypeName();
}
