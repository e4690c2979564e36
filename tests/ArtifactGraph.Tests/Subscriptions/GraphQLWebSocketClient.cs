using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Tests.Subscriptions;

/// <summary>A small graphql-transport-ws client over <see cref="ClientWebSocket"/>: sends messages, reads them one by one, sees the close.</summary>
internal sealed class GraphQLWebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();

    private GraphQLWebSocketClient()
    {
    }

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseReason => socket.CloseStatusDescription;

    public static async Task<GraphQLWebSocketClient> ConnectAsync(string baseUrl, string? subprotocol = "graphql-transport-ws", string? bearer = null)
    {
        var client = new GraphQLWebSocketClient();
        if (subprotocol is not null)
        {
            client.socket.Options.AddSubProtocol(subprotocol);
        }

        if (bearer is not null)
        {
            client.socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        await client.socket.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/graphql"), CancellationToken.None);
        return client;
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string text)
        => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Connects the protocol: connection_init (with a token, if given), then connection_ack.</summary>
    public async Task InitAsync(string? token)
    {
        await SendAsync(token is null ? new { type = "connection_init" } : new { type = "connection_init", payload = new { access_token = token } });
        var ack = await ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("connection_ack", ack?.GetProperty("type").GetString());
    }

    public Task SubscribeAsync(string id, string query)
        => SendAsync(new { id, type = "subscribe", payload = new { query } });

    /// <summary>The next message (pings skipped), or null when the server closed the connection.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancel.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var element = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            if (element.GetProperty("type").GetString() != "ping")
            {
                return element;
            }
        }
    }

    /// <summary>Reads until the server closes; the close code.</summary>
    public async Task<int?> ClosedAsync(TimeSpan timeout)
    {
        while (await ReceiveAsync(timeout) is not null)
        {
        }

        return (int?)socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        socket.Dispose();
    }
}
