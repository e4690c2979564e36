namespace ArtifactGraph.Bench.Load;

/// <summary>
/// Sends each request to the next node in turn: the request's URI (made against the first node's base address) gets the
/// scheme, host and port of the node whose turn it is. What a round-robin load balancer would do, without one in between.
/// </summary>
public sealed class RoundRobinHandler(IReadOnlyList<Uri> nodes) : DelegatingHandler
{
    private long _next = -1;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var node = nodes[(int)(Interlocked.Increment(ref _next) % nodes.Count)];
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = node.Scheme, Host = node.Host, Port = node.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
