using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// A WebSocket client on a TCP connection of its own, for what <see cref="ClientWebSocket"/> cannot do: read the HTTP
/// answer of a refused upgrade, write half a frame or half an upgrade and drop the connection, and keep a small receive
/// buffer (a client that stops reading fills it quickly). The upgrade asks for graphql-transport-ws on <c>/graphql</c>.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private readonly Socket tcp;
    private NetworkStream stream = null!;

    private RawWebSocket(Socket tcp)
    {
        this.tcp = tcp;
    }

    /// <summary>The socket once upgraded; null when the server answered the upgrade with something else (<see cref="Refusal"/>).</summary>
    public WebSocket? Socket { get; private set; }

    public Answer? Refusal { get; private set; }

    public static async Task<RawWebSocket> ConnectAsync(string baseUrl, string? authorization, CancellationToken ct, int? receiveBuffer = null, int? cutUpgradeAfter = null)
    {
        var uri = new Uri(baseUrl);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        var client = new RawWebSocket(tcp);
        await tcp.ConnectAsync(uri.Host, uri.Port, ct);
        client.stream = new NetworkStream(tcp, ownsSocket: false);
        var request = new StringBuilder($"GET /graphql HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append($"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nSec-WebSocket-Version: 13\r\n")
            .Append("Sec-WebSocket-Protocol: graphql-transport-ws\r\n")
            .Append(authorization is null ? "" : $"Authorization: {authorization}\r\n").Append("\r\n").ToString();
        var bytes = Encoding.UTF8.GetBytes(request);
        if (cutUpgradeAfter is { } cut)
        {
            await client.stream.WriteAsync(bytes.AsMemory(0, Math.Min(cut, bytes.Length - 1)), ct);
            client.Drop();
            return client;
        }

        var clock = Stopwatch.StartNew();
        await client.stream.WriteAsync(bytes, ct);
        var head = await client.ReadHeadAsync(ct);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();
        if (status == 101)
        {
            client.Socket = WebSocket.CreateFromStream(client.stream, new WebSocketCreationOptions
            {
                IsServer = false, SubProtocol = Header("Sec-WebSocket-Protocol"), KeepAliveInterval = TimeSpan.Zero,
            });
            return client;
        }

        var body = new byte[int.TryParse(Header("Content-Length"), CultureInfo.InvariantCulture, out var length) ? length : 0];
        await client.stream.ReadExactlyAsync(body, ct);
        client.Refusal = new Answer(status, Header("Content-Type"), body, clock.Elapsed);
        return client;
    }

    /// <summary>The next whole message (pings included), or null once the server closed (or the connection broke).</summary>
    public async Task<(string Type, byte[] Bytes)?> ReceiveAsync(CancellationToken ct)
    {
        var socket = Socket!;
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
                    return null;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    return (received.MessageType == WebSocketMessageType.Binary ? "binary" : "text", message.ToArray());
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    /// <summary>A message in <paramref name="pieces"/> frames (the last one final).</summary>
    public async Task SendAsync(byte[] bytes, bool binary, int pieces, CancellationToken ct)
    {
        var type = binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var size = Math.Max(1, (bytes.Length + pieces - 1) / pieces);
        for (var offset = 0; ; offset += size)
        {
            var last = offset + size >= bytes.Length;
            await Socket!.SendAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), type, last, ct);
            if (last)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A frame header announcing all of <paramref name="bytes"/> (a continuation after <paramref name="firstHalf"/> of them
    /// went as a non-final frame), then only <paramref name="cut"/> of its bytes, and the connection dropped.
    /// </summary>
    public async Task SendCutAsync(byte[] bytes, int cut, bool firstHalf, CancellationToken ct)
    {
        var opcode = 0x1;
        if (firstHalf)
        {
            var half = bytes.Length / 2;
            await Socket!.SendAsync(bytes.AsMemory(0, half), WebSocketMessageType.Text, false, ct);
            bytes = bytes[half..];
            opcode = 0x0;
            cut = Math.Min(cut, bytes.Length - 1);
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        if (bytes.Length < 126)
        {
            frame.Add((byte)(0x80 | bytes.Length));
        }
        else
        {
            frame.AddRange([0x80 | 126, (byte)(bytes.Length >> 8), (byte)bytes.Length]);
        }

        frame.AddRange(mask);
        frame.AddRange(bytes.Take(cut).Select((b, i) => (byte)(b ^ mask[i % 4])));
        await stream.WriteAsync(frame.ToArray(), ct);
        await stream.FlushAsync(ct);
        Drop();
    }

    /// <summary>Ends the TCP connection at once (a reset), as a client that crashed or lost its network.</summary>
    public void Drop()
    {
        try
        {
            tcp.LingerState = new LingerOption(true, 0);
            tcp.Close();
        }
        catch (SocketException)
        {
        }
    }

    private async Task<string> ReadHeadAsync(CancellationToken ct)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                throw new IOException("the server closed the connection during the upgrade");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString(head.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket is { State: WebSocketState.Open } open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await open.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
            }
        }

        Socket?.Dispose();
        await stream.DisposeAsync();
        tcp.Dispose();
    }
}
