using System.Text;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// One message the socket storm sends: its bytes as a text frame (or a binary one), whole or split into several frames;
/// or, with <see cref="CutAfter"/>, the start of a frame announcing all the bytes, of which only that many are written
/// before the TCP connection is dropped (an abrupt disconnect mid-frame).
/// </summary>
public sealed record SocketFrame(byte[] Bytes, bool Binary = false, int Pieces = 1, int? CutAfter = null)
{
    public static SocketFrame Text(string text) => new(Encoding.UTF8.GetBytes(text));

    public string Describe(int max)
    {
        var text = Encoding.UTF8.GetString(Bytes.AsSpan(0, Math.Min(Bytes.Length, max)));
        return (Binary ? "binary " : "") + (Pieces > 1 ? $"in {Pieces} frames " : "") + (CutAfter is { } cut ? $"cut after {cut} bytes " : "")
            + text + (Bytes.Length > max ? $"… ({Bytes.Length} bytes)" : "");
    }
}

/// <summary>
/// One generated socket conversation on a fresh connection: the upgrade (optionally with an Authorization header), the
/// handshake (connection_init with <see cref="InitToken"/> and its ack, unless null), the frames, and what must follow:
/// a close with one of <see cref="Closes"/>, or an answer (<c>error</c>, or <c>next</c> then <c>complete</c>) for
/// <see cref="AnswerId"/> (<c>*</c>: any id) or a message of type <see cref="AnswerType"/> with the connection left
/// open. Both set: either will do. Every <c>next</c> and <c>error</c> payload must pass <see cref="AnswerChecker"/> as
/// an answer to <see cref="Check"/>.
/// </summary>
public sealed record SocketCase(string Category, IReadOnlyList<SocketFrame> Frames, BadRequest Check)
{
    /// <summary>Position in the generated list; with the seed, enough to generate this case again.</summary>
    public int Index { get; init; }

    public string? InitToken { get; init; } = Identity.AdminToken;

    public string? UpgradeAuthorization { get; init; }

    /// <summary>The HTTP statuses the upgrade may be refused with (an answer checked as any HTTP answer); empty: it must succeed.</summary>
    public IReadOnlyList<int> UpgradeRefusals { get; init; } = [];

    public IReadOnlyList<int> Closes { get; init; } = [];

    public string? AnswerId { get; init; }

    public string? AnswerType { get; init; }

    /// <summary>The frames end with a dropped connection: nothing to read, only the server's health afterwards.</summary>
    public bool Abrupt => Frames.Any(f => f.CutAfter is not null);

    public string Describe(int max = 400)
        => $"#{Index} [{Category}]" + (UpgradeAuthorization is null ? "" : $" upgrade with Authorization: {UpgradeAuthorization}")
            + (InitToken is null ? " no handshake" : InitToken == Identity.AdminToken ? "" : $" init token {InitToken}")
            + string.Concat(Frames.Take(3).Select(f => "\n    frame: " + f.Describe(max))) + (Frames.Count > 3 ? $"\n    … {Frames.Count} frames" : "")
            + $"\n    expected: {(UpgradeRefusals.Count > 0 ? $"upgrade refused {string.Join('/', UpgradeRefusals)} or " : "")}"
            + (Closes.Count > 0 ? $"close {string.Join('/', Closes)}" : "") + (Closes.Count > 0 && (AnswerId ?? AnswerType) is not null ? " or " : "")
            + (AnswerId is { } id ? $"an answer for id {id}" : "") + (AnswerType is { } type ? $"a {type}" : "") + (Abrupt ? "nothing (abrupt)" : "");
}
