using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace ArtifactGraph.Bench.Load;

/// <summary>
/// Many graphql-transport-ws clients in this process, one <see cref="ClientWebSocket"/> each: connected and
/// acknowledged (<c>connection_init</c> with a token), then optionally subscribed. Each client's receive loop answers
/// the server's pings and notes when its last <c>next</c> message arrived, without parsing the JSON (a byte search for
/// the message type), so that a thousand of them cost the client little CPU.
/// </summary>
public sealed class WebSocketSubscribers : IAsyncDisposable
{
    private readonly List<Client> _clients = [];

    public int Count => _clients.Count;

    /// <summary>The <c>next</c> messages received so far, over all clients.</summary>
    public long Received => _clients.Sum(c => Volatile.Read(ref c.Received));

    /// <summary>Opens <paramref name="count"/> connections, <paramref name="parallel"/> at a time, each acknowledged before this returns.</summary>
    public static async Task<WebSocketSubscribers> ConnectAsync(Uri baseAddress, string token, int count, int parallel, CancellationToken cancellationToken)
    {
        var pool = new WebSocketSubscribers();
        var uri = new Uri(baseAddress, "graphql");
        uri = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
        using var gate = new SemaphoreSlim(parallel);
        var connecting = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await Client.ConnectAsync(uri, token, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            pool._clients.AddRange(await Task.WhenAll(connecting));
        }
        catch
        {
            foreach (var done in connecting.Where(t => t.IsCompletedSuccessfully))
            {
                await done.Result.DisposeAsync();
            }

            throw;
        }

        return pool;
    }

    /// <summary>Sends the same subscription on every connection (graphql-transport-ws acknowledges none: events tell).</summary>
    public Task SubscribeAsync(string query, CancellationToken cancellationToken)
    {
        var message = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { id = "s", type = "subscribe", payload = new { query } }));
        return Task.WhenAll(_clients.Select(c => c.SendAsync(message, cancellationToken)));
    }

    /// <summary>Waits until <paramref name="target"/> messages were received in all, or <paramref name="timeout"/> passed; the count reached.</summary>
    public async Task<long> WaitForAsync(long target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        long received;
        while ((received = Received) < target && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(2, cancellationToken);
        }

        return received;
    }

    /// <summary>Each client's timestamp (<see cref="Stopwatch.GetTimestamp"/>) of its last <c>next</c> message, and how many it received.</summary>
    public IEnumerable<(long LastReceipt, long Received)> Receipts()
        => _clients.Select(c => (Volatile.Read(ref c.LastReceipt), Volatile.Read(ref c.Received)));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        _clients.Clear();
    }

    private sealed class Client : IAsyncDisposable
    {
        private static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();
        private readonly ClientWebSocket _socket = new();
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public long Received;
        public long LastReceipt;

        public static async Task<Client> ConnectAsync(Uri uri, string token, CancellationToken cancellationToken)
        {
            var client = new Client();
            client._socket.Options.AddSubProtocol("graphql-transport-ws");
            client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await client._socket.ConnectAsync(uri, cancellationToken);
            await client.SendAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { type = "connection_init", payload = new { access_token = token } }), cancellationToken);
            var buffer = new byte[4096];
            var ack = await client._socket.ReceiveAsync(buffer, cancellationToken);
            if (!buffer.AsSpan(0, ack.Count).SequenceEqual("""{"type":"connection_ack"}"""u8))
            {
                throw new InvalidOperationException($"No connection_ack: {Encoding.UTF8.GetString(buffer, 0, ack.Count)} {client._socket.CloseStatus}");
            }

            client._loop = Task.Run(() => client.ReceiveLoopAsync(buffer));
            return client;
        }

        public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            await _sending.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);
            }
            finally
            {
                _sending.Release();
            }
        }

        private async Task ReceiveLoopAsync(byte[] buffer)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    // The type comes first or right after the id, within the first fragment.
                    var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    var head = buffer.AsSpan(0, result.Count);
                    if (head.IndexOf("\"type\":\"next\""u8) >= 0)
                    {
                        Volatile.Write(ref LastReceipt, Stopwatch.GetTimestamp());
                        Interlocked.Increment(ref Received);
                    }
                    else if (head.IndexOf("\"type\":\"ping\""u8) >= 0)
                    {
                        await SendAsync(Pong, _stop.Token);
                    }

                    while (!result.EndOfMessage)
                    {
                        result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                }
            }

            await _stop.CancelAsync();
            await _loop;
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
