using System.Diagnostics;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>Sends requests to a running server from several workers at once, each answer (or failure to answer) kept by index.</summary>
public sealed class StormRunner(string baseUrl, int workers, TimeSpan hangAfter) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public Task<Answer[]> RunAsync(IReadOnlyList<BadRequest> requests) => InParallelAsync(requests, workers, SendAsync);

    /// <summary>Each item through <paramref name="run"/>, <paramref name="workers"/> at a time, the results by index.</summary>
    public static async Task<TResult[]> InParallelAsync<TItem, TResult>(IReadOnlyList<TItem> items, int workers, Func<TItem, Task<TResult>> run)
    {
        var results = new TResult[items.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                results[i] = await run(items[i]);
            }
        })));
        return results;
    }

    public async Task<Answer> SendAsync(BadRequest request)
    {
        var uri = new Uri(baseUrl + request.PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var message = new HttpRequestMessage(request.Method, uri);
        if (request.Identity.Authorization is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } type)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            if (request.Chunked)
            {
                message.Headers.TransferEncodingChunked = true;
            }
        }

        using var timeout = new CancellationTokenSource(hangAfter);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(message, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), bytes, clock.Elapsed);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var why = timeout.IsCancellationRequested ? $"no answer within {hangAfter.TotalSeconds:0} s (a hang)" : $"{ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}";
            return new Answer(0, null, [], clock.Elapsed, why);
        }
    }

    public void Dispose() => _client.Dispose();
}
