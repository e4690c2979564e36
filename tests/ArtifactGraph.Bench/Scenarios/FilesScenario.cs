using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// File transfer: <c>POST /files</c> (multipart, one file part) and <c>GET /assets/{id}</c> for a small and a large
/// file, in MB/s, with the server's peak memory during each, to show that it does not grow with the file size. Upload
/// bodies are generated as they are sent, downloads are hashed into a small buffer and compared with the uploads.
/// </summary>
public sealed class FilesScenario : IBenchScenario
{
    private const int Megabyte = 1024 * 1024;

    /// <summary>File size, how many transfers each way, and how many at once.</summary>
    private static readonly (long Size, int Requests, int Clients)[] Runs = [(Megabyte, 20, 4), (100L * Megabyte, 3, 1)];

    public string Name => "files";

    public string Description => "POST /files and GET /assets of 1 MB and 100 MB files: MB/s and the server's peak memory";

    public string LoadConditions => "per file size, its uploads then its downloads: "
        + string.Join("; ", Runs.Select(r => $"{Megabytes(r.Size)} MB × {r.Requests}, {r.Clients} at a time"))
        + "; after 4 unmeasured uploads and downloads of 256 KB; admin static token";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse(DataSet.DirectusName)];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var figures = new List<TransferFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            var storage = Directory.CreateTempSubdirectory("artifactgraph-bench-files-");
            try
            {
                var environment = new Dictionary<string, string>(database.ServerEnvironment(context.Options)) { ["STORAGE_LOCAL_ROOT"] = storage.FullName };
                await using var server = await ServerProcess.StartAsync(context.Server, environment, database.WorkDirectory, cancellationToken);
                BenchContext.Progress($"{dataSet.Name}: server started (pid {server.Pid}) at {server.BaseAddress}, storage in {storage.FullName}");
                using var client = LoadDriver.CreateClient(server.BaseAddress, DataSetImporter.AdminToken, Runs.Max(r => r.Clients));
                client.Timeout = TimeSpan.FromMinutes(5);

                // Not measured: the JIT's first compilations of both paths.
                var warm = await UploadAsync(server, client, 256 * 1024, 4, 2, seed: 1, cancellationToken);
                await DownloadAsync(server, client, warm.Files, 2, cancellationToken);

                foreach (var (size, requests, clients) in Runs)
                {
                    var label = $"{dataSet.Name}: {Megabytes(size)} MB × {requests}, {clients} client(s)";
                    var up = await UploadAsync(server, client, size, requests, clients, seed: (ulong)size, cancellationToken);
                    BenchContext.Progress($"{label}: upload {Number(up.MegabytesPerSecond, 1)} MB/s, peak RSS {Megabytes(up.PeakRss)} MB");
                    var down = await DownloadAsync(server, client, up.Files, clients, cancellationToken);
                    BenchContext.Progress($"{label}: download {Number(down.MegabytesPerSecond, 1)} MB/s, peak RSS {Megabytes(down.PeakRss)} MB");
                    figures.Add(up with { DataSet = dataSet.Name });
                    figures.Add(down with { DataSet = dataSet.Name });
                }
            }
            finally
            {
                storage.Delete(recursive: true);
            }
        }

        context.Report.Section("File transfers", ResultTable(figures));
    }

    private static async Task<TransferFigures> UploadAsync(
        ServerProcess server, HttpClient client, long size, int requests, int clients, ulong seed, CancellationToken cancellationToken)
    {
        var files = new UploadedFile[requests];
        var failures = 0;
        string? firstFailure = null;
        var result = await MeasureAsync(server, requests, clients, async i =>
        {
            using var body = new GeneratedStream(size, seed * 1000 + (ulong)i);
            using var content = new MultipartFormDataContent();
            var part = new StreamContent(body, 64 * 1024);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "file", $"bench-{size}-{i}.bin");
            using var response = await client.PostAsync("files", content, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode || body.Position != size)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer[..Math.Min(answer.Length, 300)])}", null);
                return;
            }

            using var json = JsonDocument.Parse(answer);
            files[i] = new UploadedFile(json.RootElement.GetProperty("data").GetProperty("id").GetString()!, size, body.Hash());
        });
        if (firstFailure is not null)
        {
            BenchContext.Progress($"{failures} uploads failed; the first: {firstFailure}");
        }

        return new TransferFigures("", size, "upload", requests, clients, size * (requests - failures), result.Elapsed, result.Baseline, result.Peak, failures, "n/a")
        {
            Files = [.. files.Where(f => f is not null)],
        };
    }

    private static async Task<TransferFigures> DownloadAsync(
        ServerProcess server, HttpClient client, IReadOnlyList<UploadedFile> files, int clients, CancellationToken cancellationToken)
    {
        var failures = 0;
        var mismatches = 0;
        long bytes = 0;
        var result = await MeasureAsync(server, files.Count, clients, async i =>
        {
            var file = files[i];
            using var response = await client.GetAsync($"assets/{file.Id}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
                return;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                read += n;
            }

            Interlocked.Add(ref bytes, read);
            if (read != file.Size || !hash.GetCurrentHash().AsSpan().SequenceEqual(file.Sha256))
            {
                Interlocked.Increment(ref mismatches);
            }
        });
        var size = files.Count > 0 ? files[0].Size : 0;
        var verified = failures > 0 ? "n/a" : mismatches == 0 ? $"all {files.Count} equal" : $"{mismatches} differ";
        return new TransferFigures("", size, "download", files.Count, clients, bytes, result.Elapsed, result.Baseline, result.Peak, failures, verified);
    }

    /// <summary>
    /// Runs <paramref name="requests"/> transfers, <paramref name="clients"/> at a time, with the server's peak memory
    /// started afresh before them (VmHWM; where it cannot be reset, the highest VmRSS sampled every 10 ms).
    /// </summary>
    private static async Task<(TimeSpan Elapsed, long? Baseline, long? Peak)> MeasureAsync(
        ServerProcess server, int requests, int clients, Func<int, Task> transfer)
    {
        var reset = server.ResetPeakMemory();
        var baseline = server.Memory;
        long sampled = baseline ?? 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sampled = Math.Max(sampled, server.Memory ?? 0);
                try
                {
                    await Task.Delay(10, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                await transfer(i);
            }
        })));
        clock.Stop();
        await stop.CancelAsync();
        await sampler;
        if (!reset)
        {
            BenchContext.Progress("cannot reset the server's peak memory (VmHWM): the peak is the highest VmRSS sampled every 10 ms");
        }

        var peak = reset ? server.PeakMemory : (baseline is null ? null : Math.Max(sampled, server.Memory ?? 0));
        return (clock.Elapsed, baseline, peak);
    }

    private static string ResultTable(IEnumerable<TransferFigures> figures)
    {
        var table = new MarkdownTable(
            "data set", "file size", "direction", "requests:", "clients:", "MB/s:", "s/request:", "baseline RSS MB:", "peak RSS MB:", "RSS growth MB:", "failures:", "bytes checked");
        foreach (var f in figures)
        {
            table.Add(
                f.DataSet, $"{Megabytes(f.Size)} MB", f.Direction, Number(f.Requests), Number(f.Clients), Number(f.MegabytesPerSecond, 1),
                Number(f.Elapsed.TotalSeconds * f.Clients / Math.Max(1, f.Requests), 3), Megabytes(f.BaselineRss), Megabytes(f.PeakRss),
                f.PeakRss is { } peak && f.BaselineRss is { } baseline ? Number((peak - baseline) / (double)Megabyte, 1) : "n/a",
                Number(f.Failures), f.Verified);
        }

        return "POST /files (multipart/form-data, one file part of generated bytes, streamed by the client) then GET /assets/{id} "
            + "of the files just uploaded, read into a 64 KB buffer and hashed: \"bytes checked\" compares their SHA-256 with the "
            + "uploaded bytes'. MB/s: bytes moved over the wall time of all the requests (MB = 2^20 bytes); s/request: mean time of one "
            + "request. Baseline RSS: the server's VmRSS just before the requests; peak RSS: its VmHWM over them (reset before). "
            + "Downloads are likely served from the page cache. The storage root (STORAGE_LOCAL_ROOT) is a temporary folder, removed "
            + "afterwards; client, server and disk share the machine. The options --connections, --duration "
            + "and the warm-ups do not apply.\n\n"
            + table;
    }

    private sealed record UploadedFile(string Id, long Size, byte[] Sha256);

    private sealed record TransferFigures(
        string DataSet, long Size, string Direction, int Requests, int Clients, long Bytes, TimeSpan Elapsed, long? BaselineRss, long? PeakRss,
        int Failures, string Verified)
    {
        public IReadOnlyList<UploadedFile> Files { get; init; } = [];

        public double MegabytesPerSecond => Bytes / (double)Megabyte / Elapsed.TotalSeconds;
    }
}
