using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>What a socket case got: the upgrade's refusal, or the messages and how the connection ended.</summary>
public sealed record SocketOutcome(string End, IReadOnlyList<string> Messages, List<string> Problems, TimeSpan Elapsed);

/// <summary>
/// Runs the socket cases from several workers, each on a connection of its own, and checks each against its case:
/// the close code or the answer it must get, and every <c>next</c> and <c>error</c> payload through
/// <see cref="AnswerChecker"/>, as an HTTP answer to the same request would be.
/// </summary>
internal sealed class SocketStormRunner(string baseUrl, int workers, TimeSpan hangAfter, IReadOnlyDictionary<string, string> baselines)
{
    public Task<SocketOutcome[]> RunAsync(IReadOnlyList<SocketCase> cases) => StormRunner.InParallelAsync(cases, workers, RunAsync);

    public async Task<SocketOutcome> RunAsync(SocketCase @case)
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        var messages = new List<string>();
        using var timeout = new CancellationTokenSource(hangAfter);
        string end;
        try
        {
            end = await ConverseAsync(@case, messages, problems, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException)
        {
            end = timeout.IsCancellationRequested ? "hang" : $"{ex.GetType().Name}: {ex.Message}";
            problems.Add(timeout.IsCancellationRequested ? $"no end within {hangAfter.TotalSeconds:0} s (a hang)" : $"the connection failed: {end}");
        }

        return new SocketOutcome(end, messages, problems, clock.Elapsed);
    }

    private async Task<string> ConverseAsync(SocketCase @case, List<string> messages, List<string> problems, CancellationToken ct)
    {
        var cutUpgrade = @case.Frames.FirstOrDefault(f => f.CutAfter < 0)?.CutAfter;
        await using var client = await RawWebSocket.ConnectAsync(baseUrl, @case.UpgradeAuthorization, ct, cutUpgradeAfter: cutUpgrade is { } c ? -1 - c : null);
        if (cutUpgrade is not null)
        {
            return "dropped mid-upgrade";
        }

        if (client.Refusal is { } refusal)
        {
            problems.AddRange(AnswerChecker.Check(@case.Check, refusal, baselines));
            if (!@case.UpgradeRefusals.Contains(refusal.Status))
            {
                problems.Add($"the upgrade was refused with {refusal.Status}");
            }

            return $"upgrade refused {refusal.Status}";
        }

        if (@case.InitToken is { } token)
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "connection_init", payload = new { access_token = token } })), false, 1, ct);
            var ack = await client.ReceiveAsync(ct);
            if (ack is not { } a || Type(a.Bytes).Type != "connection_ack")
            {
                problems.Add($"no connection_ack: {(ack is { } m ? Encoding.UTF8.GetString(m.Bytes) : "closed " + (int?)client.Socket!.CloseStatus)}");
                return "no ack";
            }
        }

        foreach (var frame in @case.Frames)
        {
            if (frame.CutAfter is { } cut)
            {
                await client.SendCutAsync(frame.Bytes, cut, frame.Pieces > 1, ct);
                return "dropped mid-frame";
            }

            await client.SendAsync(frame.Bytes, frame.Binary, frame.Pieces, ct);
        }

        while (true)
        {
            if (await client.ReceiveAsync(ct) is not { } message)
            {
                // 1006, as browsers report it: the connection ended without a close frame.
                var code = (int?)client.Socket!.CloseStatus ?? 1006;
                if (!@case.Closes.Contains(code))
                {
                    problems.Add($"closed with {code} ({client.Socket.CloseStatusDescription})");
                }

                return $"closed {code}";
            }

            var text = Encoding.UTF8.GetString(message.Bytes);
            messages.Add(text.Length > 300 ? text[..300] + "…" : text);
            var (type, id) = Type(message.Bytes);
            if (type is "next" or "error")
            {
                CheckPayload(@case, type, message.Bytes, problems);
            }

            if (@case.AnswerId is { } wanted && (wanted == "*" || id == wanted) && type is "error" or "complete")
            {
                if (@case.AnswerType is { } expected && type != expected)
                {
                    problems.Add($"answered with {type}, expected {expected}");
                }

                return $"answered {type}";
            }

            if (@case.AnswerId is null && @case.AnswerType is { } only && type == only)
            {
                return $"answered {type}";
            }
        }
    }

    /// <summary>
    /// A client that subscribes <paramref name="subscriptions"/> times to a version's content (sizeable: every write puts
    /// a quarter of a megabyte into each event), then stops reading while <paramref name="writes"/> writes are made, with
    /// a receive buffer of 4 KB. The server must close it with 1008 once the messages waiting for it pass
    /// WEBSOCKETS_GRAPHQL_MAX_BACKLOG, not keep them all: when it reads again, it gets what the buffers held and the close.
    /// </summary>
    public async Task<List<string>> SlowReaderAsync(HttpClient admin, string version, int subscriptions = 20, int writes = 12)
    {
        var problems = new List<string>();
        using var timeout = new CancellationTokenSource(hangAfter * 2);
        var ct = timeout.Token;
        await using var client = await RawWebSocket.ConnectAsync(baseUrl, null, ct, receiveBuffer: 4096);
        await client.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "connection_init", payload = new { access_token = Identity.AdminToken } })), false, 1, ct);
        await client.ReceiveAsync(ct);
        for (var i = 0; i < subscriptions; i++)
        {
            var subscribe = new { id = "s" + i, type = "subscribe", payload = new { query = "subscription { artifact_versions_mutated(event: update) { key data { id content } } }" } };
            await client.SendAsync(JsonSerializer.SerializeToUtf8Bytes(subscribe), false, 1, ct);
        }

        // Every subscription is live once each has had an event of a small write (a receive is never cancelled: that would abort the socket).
        var live = new HashSet<string>();
        Task<(string Type, byte[] Bytes)?>? pending = null;
        for (var attempt = 0; attempt < 10 && live.Count < subscriptions; attempt++)
        {
            await WriteContentAsync(admin, version, "warm-up " + attempt, ct);
            var patience = Task.Delay(TimeSpan.FromSeconds(2), ct);
            while (live.Count < subscriptions)
            {
                pending ??= client.ReceiveAsync(ct);
                if (await Task.WhenAny(pending, patience) != pending)
                {
                    break;
                }

                if (await pending is not { } message)
                {
                    problems.Add($"the slow reader was closed while warming up: {(int?)client.Socket!.CloseStatus}");
                    return problems;
                }

                pending = null;
                if (Type(message.Bytes) is ("next", { } id))
                {
                    live.Add(id);
                }
            }
        }

        if (live.Count < subscriptions)
        {
            problems.Add($"only {live.Count} of {subscriptions} subscriptions heard the warm-up writes");
            return problems;
        }

        var blob = new string('x', 256 * 1024);
        for (var i = 0; i < writes; i++)
        {
            await WriteContentAsync(admin, version, blob + i, ct);
        }

        var received = 0;
        while (await (pending ?? client.ReceiveAsync(ct)) is not null)
        {
            pending = null;
            received++;
        }

        if ((int?)client.Socket!.CloseStatus != 1008)
        {
            problems.Add($"the slow reader was closed with {(int?)client.Socket.CloseStatus} ({client.Socket.CloseStatusDescription}), not 1008");
        }

        if (received >= subscriptions * writes)
        {
            problems.Add($"the slow reader received all {received} messages: nothing was held back");
        }

        return problems;
    }

    private static async Task WriteContentAsync(HttpClient admin, string version, string text, CancellationToken ct)
    {
        using var body = new StringContent(JsonSerializer.Serialize(new { content = new { blob = text } }), Encoding.UTF8, "application/json");
        using var response = await admin.PatchAsync($"/items/artifact_versions/{version}", body, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A <c>next</c> payload is an HTTP answer's body; an <c>error</c> payload is the errors of one.</summary>
    private void CheckPayload(SocketCase @case, string type, byte[] bytes, List<string> problems)
    {
        using var document = JsonDocument.Parse(bytes);
        if (!document.RootElement.TryGetProperty("payload", out var payload))
        {
            problems.Add($"{type} without a payload");
            return;
        }

        var body = type == "next" ? payload.GetRawText() : $"{{\"errors\":{payload.GetRawText()}}}";
        problems.AddRange(AnswerChecker.Check(@case.Check, new Answer(200, "application/json", Encoding.UTF8.GetBytes(body), TimeSpan.Zero), baselines)
            .Select(p => $"{type}: {p}"));
    }

    private static (string? Type, string? Id) Type(byte[] message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            return (root.TryGetProperty("type", out var t) ? t.GetString() : null, root.TryGetProperty("id", out var i) ? i.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return ("not JSON", null);
        }
    }
}
