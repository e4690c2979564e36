using ArtifactGraph.Server.Errors;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// <c>GRAPHQL_QUERY_TIMEOUT</c> for one request: a query operation runs on a token that is cancelled when the request
/// goes away or when the time is up, whichever comes first, so EF Core's reads are cancelled in the database too.
/// Mutations and a limit of 0 run on the request's own token.
/// </summary>
internal sealed class QueryDeadline : IDisposable
{
    private readonly CancellationToken request;
    private readonly CancellationTokenSource? timer;
    private readonly CancellationTokenSource? linked;

    public QueryDeadline(OperationType operation, int milliseconds, TimeProvider clock, CancellationToken request)
    {
        this.request = request;
        Milliseconds = milliseconds;
        if (operation == OperationType.Query && milliseconds > 0)
        {
            timer = new CancellationTokenSource(TimeSpan.FromMilliseconds(milliseconds), clock);
            linked = CancellationTokenSource.CreateLinkedTokenSource(request, timer.Token);
        }
    }

    public int Milliseconds { get; }

    public CancellationToken Token => linked?.Token ?? request;

    /// <summary>The time ran out while the client was still waiting (a client that left gets no answer).</summary>
    public bool Expired => timer?.IsCancellationRequested == true && !request.IsCancellationRequested;

    public DirectusException Error() => DirectusErrors.QueryTimeout(Milliseconds);

    public void Dispose()
    {
        linked?.Dispose();
        timer?.Dispose();
    }
}
