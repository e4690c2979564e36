using System.Text;
using System.Text.Json;
using static ArtifactGraph.Tests.Hardening.RequestBuilder;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// The socket part of the storm (graphql-transport-ws on <c>/graphql</c>): the storm's own GraphQL requests sent again
/// as <c>subscribe</c> payloads (answered once, checked as their HTTP answers are), and every way of breaking the
/// protocol, each with the exact close code or message it must get: malformed JSON, binary frames, unknown types,
/// missing or wrong-typed fields, subscribe before the ack (4401), a second init (4429), a duplicate id (4409), a
/// message over MAX_PAYLOAD_SIZE (1009), more than 100 operations (1008), bad tokens (401 or 4403), no init in time
/// (4408), invalid subscription documents and variables (an <c>error</c>, never a close), and connections dropped
/// mid-frame or mid-upgrade.
/// </summary>
internal sealed class SocketCategories(Random random, SeedCorpus corpus)
{
    public const string Subscription = "subscription { artifact_versions_mutated { key event data { id status } } }";

    private const int MaxReplayBytes = 64 * 1024;

    private static readonly string[] InvalidSubscriptions =
    [
        "subscription { artifact_versions_mutated { key data { NAME } } }",
        "subscription { NAME_mutated { key } }",
        "subscription { artifact_versions_mutated(event: NAME) { key } }",
        "subscription { artifact_versions_mutated(NAME: create) { key } }",
        "subscription { artifact_versions_mutated { key } tasks_mutated { key } }",
        "subscription { artifact_versions_mutated { key data { id files { NAME } } } }",
        "subscription S { ...F } fragment F on NAME { key }",
        "subscription { artifact_versions_mutated { key data } }",
        "subscription { artifact_versions_mutated",
        "subscription($e: EventEnum!) { artifact_versions_mutated(event: $e) { key } }",
        "subscription($e: NAME) { artifact_versions_mutated(event: $e) { key } }",
        "subscription { __typename }",
    ];

    /// <summary>The hostile names that make every template above invalid (not <c>id</c>, <c>__typename</c>, <c>null</c>, <c>directus_users</c>).</summary>
    private static readonly string[] InvalidNames = HostileInputs.Names.Except(["id", "__typename", "null", "directus_users"]).ToArray();

    /// <summary>Variables that do not fit <c>$e: EventEnum!</c>.</summary>
    private static readonly string[] BadEventVariables =
        ["{}", "{\"e\":5}", "{\"e\":\"NAME\"}", "{\"e\":null}", "{\"e\":[\"create\"]}", "{\"e\":{\"_eq\":\"create\"}}", "{\"e\":\"create\\u0000\"}"];

    private static readonly string[] WrongTypedValues =
        ["1", "-1.5e300", "true", "null", "[]", "[\"x\"]", "{}", "{\"a\":1}", "\"\"", "1e400"];

    private readonly JsonMutator _json = new(random);

    /// <summary>Every category; <paramref name="storm"/> is the HTTP storm, whose GraphQL requests are replayed over the socket.</summary>
    public IEnumerable<SocketCase> All(IReadOnlyList<BadRequest> storm)
        => Replays(storm, 160).Concat(Protocol(90)).Concat(WrongFields(60)).Concat(MutatedMessages(60)).Concat(InvalidDocuments(40))
            .Concat(Identities()).Concat(Limits()).Concat(Abrupt(16));

    /// <summary>The storm's admin requests to <c>/graphql</c> whose body is a subscribe payload (queries and mutations), sent over the socket.</summary>
    public IEnumerable<SocketCase> Replays(IReadOnlyList<BadRequest> storm, int count)
    {
        var fit = storm.Where(r => r.Identity.IsAdmin && r.Method == HttpMethod.Post && r.PathAndQuery == "/graphql" && r.Body is { Length: < MaxReplayBytes }
            && r.ContentType == Json && IsPayload(r.Body)).ToList();
        // A quarter of them mutations (write-safe by construction, as in the HTTP storm), the rest reads.
        var mutations = fit.Where(r => IsMutation(r.Body!)).OrderBy(_ => random.Next()).Take(count / 4).ToList();
        foreach (var request in mutations.Concat(fit.Except(mutations).OrderBy(_ => random.Next()).Take(count - mutations.Count)))
        {
            var frame = Encoding.UTF8.GetBytes("{\"id\":\"r\",\"type\":\"subscribe\",\"payload\":").Concat(request.Body!).Append((byte)'}').ToArray();
            yield return new SocketCase("socket-replay", [new SocketFrame(frame)], request) { AnswerId = "r" };
        }
    }

    /// <summary>The protocol's order and types: what closes the connection, and what is answered.</summary>
    public IEnumerable<SocketCase> Protocol(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var query = corpus.Queries[random.Next(corpus.Queries.Count)].Query;
            var name = HostileInputs.Names[random.Next(HostileInputs.Names.Length)];
            yield return (i % 19) switch
            {
                0 => Case("socket-order", [Subscribe("1", query)], closes: 4401) with { InitToken = null },
                1 => Case("socket-order", [Message(new { type = "connection_init" })], closes: 4429),
                2 => Case("socket-order", [Subscribe("d", Subscription), Subscribe("d", random.Next(2) == 0 ? Subscription : query)], closes: 4409),
                3 => Case("socket-type", [Message(new { type = name })], closes: 4400),
                4 => Case("socket-type", [Message(new { id = "1", type = "Subscribe", payload = new { query } })], closes: 4400),
                5 => Case("socket-type", [Message(new { type = "next", id = "1", payload = new { data = new { } } })], closes: 4400),
                6 => Case("socket-type", [SocketFrame.Text("{\"type\":" + WrongTypedValues[random.Next(WrongTypedValues.Length)] + "}")], closes: 4400),
                7 => Case("socket-malformed", [SocketFrame.Text(Truncated(JsonSerializer.Serialize(new { id = "1", type = "subscribe", payload = new { query } })))], closes: 4400),
                8 => Case("socket-malformed", [new SocketFrame(RandomBytes(1 + random.Next(200)), Binary: true)], closes: 4400),
                9 => Case("socket-binary", [new SocketFrame(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "connection_init", payload = new { access_token = Identity.AdminToken } })), Binary: true)], answerType: "connection_ack") with { InitToken = null },
                10 => Case("socket-binary", [Subscribe("b", query) with { Binary = true }], answerId: "b"),
                11 => Case("socket-ping", [Message(new { type = "ping", payload = new { name } }), Message(new { type = "pong" }), Message(new { type = "complete", id = name })], answerType: "pong"),
                // ASP.NET's WebSocket refuses a text frame that is not UTF-8 itself: 1007, or (now and then) the connection just ends.
                12 => Case("socket-malformed", [new SocketFrame([0xC3, 0x28, 0x7B, 0xFF, 0xFE])], closes: 1007) with { Closes = [1007, 1006] },
                13 => Case("socket-order", [Subscribe("q", query), Message(new { type = "complete", id = "q" }), Subscribe("q2", query)], answerId: "q2"),
                15 => Case("socket-type", [Message(new { type = LongName(name) })], closes: 4400),
                16 => Case("socket-malformed", [new SocketFrame(NotText(random.Next(3)), Binary: true)], closes: 4400),
                17 => Case("socket-malformed", [SocketFrame.Text(random.Next(2) == 0
                    ? "{\"id\":\"u\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ projects { id } }\",\"operationName\":\"\\ud800\"}}"
                    : "{\"id\":\"u\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ projects { id \\udc00 } }\"}}")], answerId: "u", answerType: "error"),
                _ => Case("socket-order", [], closes: 4408) with { InitToken = null },
            };
        }
    }

    /// <summary>subscribe with <c>id</c>, <c>payload</c> or <c>query</c> missing or of another type: 4400.</summary>
    public IEnumerable<SocketCase> WrongFields(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var value = WrongTypedValues[random.Next(WrongTypedValues.Length)];
            var text = (i % 6) switch
            {
                0 => "{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ projects { id } }\"}}",
                1 => $"{{\"id\":{value},\"type\":\"subscribe\",\"payload\":{{\"query\":\"{{ projects {{ id }} }}\"}}}}",
                2 => "{\"id\":\"1\",\"type\":\"subscribe\"}",
                3 => $"{{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{value}}}",
                4 => "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"variables\":{}}}",
                _ => $"{{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{{\"query\":{(value == "\"\"" ? "1" : value)}}}}}",
            };
            yield return Case("socket-wrong-field", [SocketFrame.Text(text)], closes: 4400);
        }
    }

    /// <summary>A valid subscribe mutated at the JSON level: closed with 4400 (or 1007), or answered, as the mutant says.</summary>
    public IEnumerable<SocketCase> MutatedMessages(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var document = corpus.Queries[random.Next(corpus.Queries.Count)];
            var message = $"{{\"id\":\"m\",\"type\":\"subscribe\",\"payload\":{{\"query\":{Quote(document.Query)}{(document.VariablesJson is { } v ? ",\"variables\":" + v : "")}}}}}";
            var bytes = _json.Mutate(message);
            yield return new SocketCase("socket-mutated-json", [new SocketFrame(bytes)], Raw("socket-mutated-json", Identity.Admin, HttpMethod.Post, "/graphql", bytes, Json, Expectation.ErrorOrData))
            {
                Closes = [4400, 1007], AnswerId = "*",
            };
        }
    }

    /// <summary>Invalid subscription documents and variables: an <c>error</c> message for the id, the connection open.</summary>
    public IEnumerable<SocketCase> InvalidDocuments(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = InvalidNames[random.Next(InvalidNames.Length)];
            var query = InvalidSubscriptions[random.Next(InvalidSubscriptions.Length)].Replace("NAME", name, StringComparison.Ordinal);
            var variables = query.Contains("$e: EventEnum!", StringComparison.Ordinal) ? BadEventVariables[random.Next(BadEventVariables.Length)].Replace("NAME", name, StringComparison.Ordinal) : null;
            var payload = $"{{\"query\":{Quote(query)}{(variables is null ? "" : ",\"variables\":" + variables)}}}";
            var request = Raw("socket-invalid-document", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(payload), Json, Expectation.Error);
            yield return new SocketCase("socket-invalid-document", [SocketFrame.Text($"{{\"id\":\"e\",\"type\":\"subscribe\",\"payload\":{payload}}}")], request)
            {
                AnswerId = "e", AnswerType = "error",
            };
        }
    }

    /// <summary>Identities that may not connect: their header on the upgrade (401, or 4403 at init), their token in connection_init (4403).</summary>
    public IEnumerable<SocketCase> Identities()
    {
        foreach (var who in Identity.NonAdmins)
        {
            var check = Get("socket-identity", who, "/graphql", Expectation.Error);
            var token = who.Authorization?.Split(' ', 2) is [_, var t] ? t : "";
            yield return new SocketCase("socket-identity", [Message(new { type = "connection_init" })], check)
            {
                InitToken = null, UpgradeAuthorization = who.Authorization, UpgradeRefusals = [401, 400], Closes = [4403],
            };
            yield return new SocketCase("socket-identity", [Message(new { type = "connection_init", payload = new { access_token = token } })], check) { InitToken = null, Closes = [4403] };
            yield return new SocketCase("socket-identity", [Message(new { type = "connection_init", payload = new Dictionary<string, object?> { ["Authorization"] = who.Authorization } })], check)
            {
                InitToken = null, Closes = [4403],
            };
        }

        var anyone = Get("socket-identity", Identity.Public, "/graphql", Expectation.Error);
        yield return new SocketCase("socket-identity", [Message(new { type = "connection_init", payload = new { access_token = 42 } })], anyone) { InitToken = null, Closes = [4403] };
        yield return new SocketCase("socket-identity", [Message(new { type = "connection_init", payload = "x" })], anyone) { InitToken = null, Closes = [4403] };
    }

    /// <summary>MAX_PAYLOAD_SIZE (1 MB in the suite): 1009, in one frame or several; 101 operations: 1008.</summary>
    public IEnumerable<SocketCase> Limits()
    {
        var big = Encoding.UTF8.GetBytes($"{{\"id\":\"big\",\"type\":\"subscribe\",\"payload\":{{\"query\":\"{{ projects {{ id }} }}\",\"variables\":{{\"x\":\"{new string('x', 1_100_000)}\"}}}}}}");
        yield return Case("socket-limit", [new SocketFrame(big)], closes: 1009);
        yield return Case("socket-limit", [new SocketFrame(big, Pieces: 8)], closes: 1009);
        yield return Case("socket-limit", [new SocketFrame(big, Pieces: 3) with { Binary = true }], closes: 1009) with { InitToken = null };
        yield return Case("socket-limit", Enumerable.Range(0, 101).Select(i => Subscribe("s" + i, Subscription)).ToList(), closes: 1008);
        yield return Case("socket-limit", Enumerable.Range(0, 100).Select(i => Subscribe("s" + i, Subscription)).Append(Subscribe("q", "{ projects { id } }")).ToList(), closes: 1008);
        yield return Case("socket-limit", Enumerable.Range(0, 100).Select(i => Subscribe("s" + i, Subscription)).Append(Message(new { type = "complete", id = "s7" })).Append(Subscribe("q", "{ projects { id } }")).ToList(), answerId: "q");
    }

    /// <summary>Connections dropped mid-frame: after the upgrade, after the handshake, with a subscription running, mid-upgrade.</summary>
    public IEnumerable<SocketCase> Abrupt(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var message = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id = "a", type = "subscribe", payload = new { query = Subscription } }));
            var cut = random.Next(0, message.Length);
            var frames = (i % 4) switch
            {
                0 => new List<SocketFrame> { new(message, CutAfter: cut) },
                1 => [Subscribe("live", Subscription), new(message, CutAfter: cut)],
                2 => [new(message, Pieces: 2, CutAfter: cut)],
                _ => [new(message, CutAfter: -1 - random.Next(40))],
            };
            yield return Case("socket-abrupt", frames, closes: 0) with { InitToken = i % 4 == 0 ? null : Identity.AdminToken };
        }
    }

    private static SocketCase Case(string category, List<SocketFrame> frames, int closes = 0, string? answerId = null, string? answerType = null)
        => new(category, frames, Raw(category, Identity.Admin, HttpMethod.Post, "/graphql", null, null, Expectation.ErrorOrData))
        {
            Closes = closes == 0 ? [] : [closes], AnswerId = answerId, AnswerType = answerType,
        };

    private static SocketFrame Subscribe(string id, string query) => Message(new { id, type = "subscribe", payload = new { query } });

    private static SocketFrame Message(object message) => SocketFrame.Text(JsonSerializer.Serialize(message, JsonOptions));

    private static bool IsMutation(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("query").GetString()!.TrimStart().StartsWith("mutation", StringComparison.Ordinal);
    }

    private static bool IsPayload(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.String
                && !query.GetString()!.Contains("subscription", StringComparison.OrdinalIgnoreCase)
                && (!root.TryGetProperty("variables", out var v) || v.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
                && (!root.TryGetProperty("operationName", out var o) || o.ValueKind is JsonValueKind.String or JsonValueKind.Null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not text (invalid UTF-8 or a lone surrogate): a text frame cannot carry it; the protocol cases send such bytes.
            return false;
        }
    }

    /// <summary>A type name past the 123 bytes a close reason may hold (the close names the type).</summary>
    private string LongName(string name) => string.Concat(Enumerable.Repeat(name + "é☃", 10 + random.Next(200)));

    /// <summary>JSON whose strings are not text: invalid UTF-8 (which only a binary frame can carry), or an escaped lone surrogate.</summary>
    private static byte[] NotText(int which) => which switch
    {
        0 => [.. "{\"type\":\"ping"u8, 0xC3, 0x28, .. "\"}"u8],
        1 => [.. "{\"id\":\"a"u8, 0xFF, .. "\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ projects { id } }\"}}"u8],
        _ => "{\"id\":\"\\ud800\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ projects { id } }\"}}"u8.ToArray(),
    };

    private string Truncated(string json) => json[..random.Next(1, json.Length - 1)];

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = (byte)'\x01'; // never a JSON value's first byte
        return bytes;
    }
}
