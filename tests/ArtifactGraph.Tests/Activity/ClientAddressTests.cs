using System.Net;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Http;
using Microsoft.AspNetCore.Http;

namespace ArtifactGraph.Tests.Activity;

/// <summary>The client's address as Directus's getIPFromReq finds it (proxy-addr's rules for IP_TRUST_PROXY).</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("false", null, "10.0.0.5")]
    [InlineData("true", null, "203.0.113.7")]
    [InlineData("1", null, "192.168.1.9")]
    [InlineData("2", null, "203.0.113.7")]
    [InlineData("10.0.0.0/8", null, "192.168.1.9")]
    [InlineData("10.0.0.0/8, 192.168.1.9", null, "203.0.113.7")]
    [InlineData("uniquelocal", null, "203.0.113.7")]
    [InlineData("loopback", null, "10.0.0.5")]
    [InlineData("false", "X-Real-IP", "198.51.100.4")]
    public void Ip_behindProxies_isTheNearestUntrustedAddress(string trustProxy, string? customHeader, string expected)
    {
        var addresses = new ClientAddress(new ServerSettings { IpTrustProxy = trustProxy, IpCustomHeader = customHeader });
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5").MapToIPv6();
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7, 192.168.1.9";
        context.Request.Headers["X-Real-IP"] = "198.51.100.4";

        Assert.Equal(expected, addresses.Ip(context.Request));
    }

    [Fact]
    public void Ip_customHeaderWithoutAnAddress_isTheConnectionsAddress()
    {
        var addresses = new ClientAddress(new ServerSettings { IpCustomHeader = "X-Real-IP" });
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Headers["X-Real-IP"] = "not an address";

        Assert.Equal("127.0.0.1", addresses.Ip(context.Request));
    }

    [Fact]
    public void TrustProxy_thatIsNoAddress_isASettingsError()
        => Assert.Equal("IP_TRUST_PROXY", Assert.Throws<SettingsException>(() => ClientAddress.Validate("10.0.0.0/99")).Variable);
}
