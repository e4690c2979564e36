using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ArtifactGraph.Bench.Load;

public sealed record LoadOptions(int Connections, TimeSpan WarmUp, TimeSpan Duration);

/// <summary>Called around the measured period: <c>Starting</c> just before it (reset counters), <c>Ended</c> right after it.</summary>
public sealed record MeasureHooks(Func<CancellationToken, Task> Starting, Action Ended)
{
    public static MeasureHooks None { get; } = new(_ => Task.CompletedTask, () => { });
}

/// <param name="Latency">Successful requests that completed in the measured period.</param>
/// <param name="Failures">Answers that were not HTTP 200 with <c>data</c> and no <c>errors</c> (or that the requests' own check
/// refused), over the whole run (warm-up included).</param>
/// <param name="CompletedSinceStart">All requests that completed after the period started, the ones that drained after it included:
/// the divisor for counters read once the load has stopped (SQL statements).</param>
/// <param name="Completed">All requests that completed, over the whole run (warm-up and drain included).</param>
/// <param name="RanOut">Workers that stopped before the end because they had nothing more to send.</param>
public sealed record LoadResult(
    TimeSpan Measured, LatencyHistogram Latency, long Failures, string? FirstFailure, long CompletedSinceStart, long ResponseBytes, long Completed, int RanOut)
{
    public double RequestsPerSecond => Latency.Count / Measured.TotalSeconds;

    /// <summary>Requests that succeeded over the whole run (warm-up and drain included).</summary>
    public long Succeeded => Completed - Failures;

    public double MeanResponseBytes => Latency.Count == 0 ? 0 : (double)ResponseBytes / Latency.Count;
}

/// <summary>What a load sends: each worker's next request, and what makes an answer a success.</summary>
public interface ILoadRequests
{
    /// <summary>The next request of worker <paramref name="worker"/> (0 to connections − 1); null when it has none left: it stops, the others go on.</summary>
    GraphQLPost? Next(int worker);

    /// <summary>Null when <paramref name="body"/>, an HTTP 200 answer, is a success; else what is wrong with it.</summary>
    string? Check(ReadOnlySpan<byte> body);
}

/// <summary>The same requests over and over, never running out: worker i starts with request i and goes round them.</summary>
public sealed class RepeatedRequests(IReadOnlyList<GraphQLPost> posts, int workers) : ILoadRequests
{
    private readonly int[] _next = [.. Enumerable.Range(0, workers)];

    public GraphQLPost? Next(int worker) => posts[_next[worker]++ % posts.Count];

    public string? Check(ReadOnlySpan<byte> body) => GraphQLPost.CheckAnswer(body);
}

/// <summary>
/// A closed-loop load: one worker per connection sends the next request as soon as its answer has been read,
/// first for the warm-up, then for the measured period. Every answer is read in full and checked.
/// </summary>
public static class LoadDriver
{
    public static HttpClient CreateClient(Uri baseAddress, string token, int connections) => CreateClient([baseAddress], token, connections);

    /// <summary>A client whose requests go round the <paramref name="nodes"/>' base addresses, one after another (no load balancer).</summary>
    public static HttpClient CreateClient(IReadOnlyList<Uri> nodes, string token, int connections)
    {
        var sockets = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        HttpMessageHandler handler = nodes.Count == 1 ? sockets : new RoundRobinHandler(nodes) { InnerHandler = sockets };
        var client = new HttpClient(handler) { BaseAddress = nodes[0], Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.ExpectContinue = false;
        return client;
    }

    /// <summary>
    /// Load with a mix of requests (worker i starts with request i and goes round them), nothing measured: lets the
    /// server's JIT reach its optimised code before any figure is taken. Returns the failed requests.
    /// </summary>
    public static async Task<long> WarmUpAsync(
        HttpClient client, IReadOnlyList<GraphQLPost> posts, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            client, new RepeatedRequests(posts, connections), new LoadOptions(connections, duration, TimeSpan.Zero), MeasureHooks.None, cancellationToken);
        return result.Failures;
    }

    public static Task<LoadResult> RunAsync(
        HttpClient client, GraphQLPost post, LoadOptions options, MeasureHooks hooks, CancellationToken cancellationToken)
        => RunAsync(client, new RepeatedRequests([post], options.Connections), options, hooks, cancellationToken);

    public static async Task<LoadResult> RunAsync(
        HttpClient client, ILoadRequests requests, LoadOptions options, MeasureHooks hooks, CancellationToken cancellationToken)
    {
        var run = new Run(client, requests);
        var workers = Enumerable.Range(0, options.Connections)
            .Select(i => new Worker { Index = i })
            .ToList();
        var tasks = workers.Select(w => Task.Run(() => run.LoopAsync(w, cancellationToken), cancellationToken)).ToList();
        try
        {
            await Task.Delay(options.WarmUp, cancellationToken);
            await hooks.Starting(cancellationToken);
            var from = Stopwatch.GetTimestamp();
            Volatile.Write(ref run.From, from);
            await Task.Delay(options.Duration, cancellationToken);
            var until = Stopwatch.GetTimestamp();
            Volatile.Write(ref run.Until, until);
            hooks.Ended();

            run.Stop = true;
            await Task.WhenAll(tasks);
            var latency = new LatencyHistogram();
            workers.ForEach(w => latency.Add(w.Latency));
            return new LoadResult(
                Stopwatch.GetElapsedTime(from, until), latency, workers.Sum(w => w.Failures), run.FirstFailure,
                workers.Sum(w => w.CompletedSinceStart), workers.Sum(w => w.ResponseBytes), workers.Sum(w => w.Completed), workers.Count(w => w.RanOut));
        }
        finally
        {
            run.Stop = true;
            await Task.WhenAll(tasks).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private sealed class Worker
    {
        public LatencyHistogram Latency { get; } = new();

        public byte[] Buffer { get; set; } = new byte[64 * 1024];

        /// <summary>The worker's number, 0 to connections − 1.</summary>
        public int Index { get; init; }

        public long Failures { get; set; }

        public long Completed { get; set; }

        /// <summary>The worker stopped because its requests ran out.</summary>
        public bool RanOut { get; set; }

        public long CompletedSinceStart { get; set; }

        public long ResponseBytes { get; set; }
    }

    private sealed class Run(HttpClient client, ILoadRequests requests)
    {
        public long From;
        public long Until;
        public volatile bool Stop;
        private string? _firstFailure;

        public string? FirstFailure => Volatile.Read(ref _firstFailure);

        public async Task LoopAsync(Worker worker, CancellationToken cancellationToken)
        {
            while (!Stop && !cancellationToken.IsCancellationRequested)
            {
                var post = requests.Next(worker.Index);
                if (post is null)
                {
                    worker.RanOut = true;
                    return;
                }

                var start = Stopwatch.GetTimestamp();
                var (length, failure) = await SendAsync(worker, post, cancellationToken);
                var end = Stopwatch.GetTimestamp();
                worker.Completed++;
                if (failure is not null)
                {
                    worker.Failures++;
                    Interlocked.CompareExchange(ref _firstFailure, failure, null);
                }

                var from = Volatile.Read(ref From);
                if (from == 0 || end < from)
                {
                    continue;
                }

                worker.CompletedSinceStart++;
                var until = Volatile.Read(ref Until);
                if (failure is null && (until == 0 || end <= until))
                {
                    worker.Latency.Record((long)Stopwatch.GetElapsedTime(start, end).TotalMicroseconds);
                    worker.ResponseBytes += length;
                }
            }
        }

        private async Task<(int Length, string? Failure)> SendAsync(Worker worker, GraphQLPost post, CancellationToken cancellationToken)
        {
            try
            {
                using var request = post.CreateRequest();
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var length = await ReadAllAsync(worker, stream, cancellationToken);
                var body = worker.Buffer.AsSpan(0, length);
                return response.StatusCode == HttpStatusCode.OK
                    ? (length, requests.Check(body))
                    : (length, $"HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body[..Math.Min(length, 300)])}");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (0, $"{ex.GetType().Name}: {ex.Message}");
            }
        }

        // Reads the whole answer into the worker's buffer, growing it when needed (no allocation per request).
        private static async Task<int> ReadAllAsync(Worker worker, Stream stream, CancellationToken cancellationToken)
        {
            var length = 0;
            while (true)
            {
                if (length == worker.Buffer.Length)
                {
                    var bigger = new byte[worker.Buffer.Length * 2];
                    worker.Buffer.AsSpan().CopyTo(bigger);
                    worker.Buffer = bigger;
                }

                var read = await stream.ReadAsync(worker.Buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return length;
                }

                length += read;
            }
        }
    }
}
