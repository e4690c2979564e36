using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Where a request came from, as Directus's <c>getIPFromReq</c> finds it: the connection's address, or behind trusted
/// proxies (<c>IP_TRUST_PROXY</c>, Express's "trust proxy" and the proxy-addr package) the nearest untrusted address of
/// <c>X-Forwarded-For</c>; <c>IP_CUSTOM_HEADER</c> overrides both when it holds a valid address. IPv4 addresses mapped
/// into IPv6 are written as IPv4.
/// </summary>
public sealed class ClientAddress
{
    private static readonly Dictionary<string, string[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["loopback"] = ["127.0.0.1/8", "::1/128"],
        ["linklocal"] = ["169.254.0.0/16", "fe80::/10"],
        ["uniquelocal"] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
    };

    private readonly Func<IPAddress, int, bool> trust;
    private readonly string? customHeader;

    public ClientAddress(ServerSettings settings)
    {
        trust = Compile(settings.IpTrustProxy);
        customHeader = settings.IpCustomHeader;
    }

    /// <summary>The value if <c>IP_TRUST_PROXY</c> can hold it; else a <see cref="SettingsException"/>.</summary>
    public static string Validate(string value)
    {
        Compile(value);
        return value;
    }

    /// <summary>The request's address, user agent and <c>Origin</c> header.</summary>
    public ClientInfo Of(HttpRequest request)
    {
        var headers = request.Headers;
        return new ClientInfo(Ip(request), headers.UserAgent.Count > 0 ? headers.UserAgent.ToString() : null, headers.Origin.Count > 0 ? headers.Origin.ToString() : null);
    }

    public string? Ip(HttpRequest request)
    {
        if (customHeader is not null)
        {
            var value = request.Headers[customHeader].ToString();
            if (IPAddress.TryParse(value, out var custom) && !value.Contains('/', StringComparison.Ordinal))
            {
                return Text(custom);
            }
        }

        if (request.HttpContext.Connection.RemoteIpAddress is not { } socket)
        {
            return null;
        }

        // proxy-addr: the socket's address, then X-Forwarded-For from the nearest hop outwards; the first one not trusted.
        var addresses = new List<IPAddress> { Unmapped(socket) };
        var forwarded = request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = forwarded.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(forwarded[i], out var hop))
            {
                break;
            }

            addresses.Add(Unmapped(hop));
        }

        for (var i = 0; i < addresses.Count - 1; i++)
        {
            if (!trust(addresses[i], i))
            {
                return Text(addresses[i]);
            }
        }

        return Text(addresses[^1]);
    }

    private static Func<IPAddress, int, bool> Compile(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return (_, _) => true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return (_, _) => false;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var hops))
        {
            return (_, i) => i < hops;
        }

        var networks = new List<IPNetwork>();
        foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var range in Names.TryGetValue(entry, out var named) ? named : [entry])
            {
                networks.Add(Network(range) ?? throw new SettingsException("IP_TRUST_PROXY", $"'{entry}' is not true, false, a number, an address or a subnet."));
            }
        }

        return (address, _) => networks.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }

    /// <summary>An address or subnet (<c>a.b.c.d/n</c>, host bits allowed, as proxy-addr allows them).</summary>
    private static IPNetwork? Network(string range)
    {
        var slash = range.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? range : range[..slash], out var address))
        {
            return null;
        }

        address = Unmapped(address);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(range[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string Text(IPAddress address) => Unmapped(address).ToString();
}
