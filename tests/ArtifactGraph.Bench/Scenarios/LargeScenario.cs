using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// Whole-collection answers: every artifact version with its files' ids, once over GraphQL and once over REST, one request
/// at a time, with the server's peak memory (VmHWM, reset before each) and the time to the first byte and to the last.
/// Such answers are written as they are read, batch by batch, so the peak should not grow with the data set.
/// </summary>
public sealed class LargeScenario : IBenchScenario
{
    private const string GraphQL = "{ artifact_versions(limit: -1) { id files { directus_files_id { id } } } }";

    private const string Rest = "items/artifact_versions?limit=-1&fields=id,files.directus_files_id.id";

    /// <summary>The routes measured: the list over GraphQL and REST, and REST's downloads of it (<c>export</c>).</summary>
    private static readonly string[] Routes = ["GraphQL", "REST", "REST export=json", "REST export=csv"];

    /// <summary>Each request this many times, after one unmeasured request of each.</summary>
    private const int Repeats = 2;

    public string Name => "large";

    public string Description => "limit -1 over all versions with their files (GraphQL, REST and REST's JSON and CSV exports): peak RSS, time to first byte, total time, bytes";

    public string LoadConditions => $"one request at a time, each {Repeats} times after one unmeasured request of each; admin static token";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse("100000")];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var figures = new List<LargeFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            await using var server = await ServerProcess.StartAsync(context.Server, database.ServerEnvironment(context.Options), database.WorkDirectory, cancellationToken);
            BenchContext.Progress($"{dataSet.Name}: server started (pid {server.Pid}) at {server.BaseAddress}");
            using var client = LoadDriver.CreateClient(server.BaseAddress, DataSetImporter.AdminToken, 1);
            client.Timeout = TimeSpan.FromMinutes(30);
            foreach (var route in Routes)
            {
                await MeasureAsync(server, client, route, cancellationToken);
            }

            for (var i = 0; i < Repeats; i++)
            {
                foreach (var route in Routes)
                {
                    var result = await MeasureAsync(server, client, route, cancellationToken) with { DataSet = dataSet.Name };
                    figures.Add(result);
                    BenchContext.Progress($"{dataSet.Name} {route}: {Megabytes(result.Bytes)} MB, {result.Items} items, first byte {Number(result.FirstByte.TotalSeconds, 2)} s, "
                        + $"total {Number(result.Total.TotalSeconds, 2)} s, peak RSS {Megabytes(result.PeakRss)} MB");
                }
            }
        }

        context.Report.Section("Whole-collection answers", ResultTable(figures));
    }

    private static async Task<LargeFigures> MeasureAsync(ServerProcess server, HttpClient client, string route, CancellationToken cancellationToken)
    {
        var reset = server.ResetPeakMemory();
        var baseline = server.Memory;
        using var request = route == "GraphQL"
            ? new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = new StringContent(JsonSerializer.Serialize(new { query = GraphQL }), Encoding.UTF8, "application/json") }
            : new HttpRequestMessage(HttpMethod.Get, route.StartsWith("REST export=", StringComparison.Ordinal) ? $"{Rest}&export={route[12..]}" : Rest);
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var first = TimeSpan.Zero;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length == 0)
            {
                first = clock.Elapsed;
            }

            body.Write(buffer, 0, n);
        }

        var total = clock.Elapsed;
        var peak = reset ? server.PeakMemory : null;
        var (items, ok) = route switch
        {
            // A header line, then one line per item (lines hold no newline: nested lists are JSON on one line).
            "REST export=csv" => (body.ToArray().Count(b => b == (byte)'\n'), response.IsSuccessStatusCode),
            _ => Items(body.ToArray(), route, response.IsSuccessStatusCode),
        };
        return new LargeFigures("", route, body.Length, items, first, total, baseline, peak, ok, response.Headers.TransferEncodingChunked == true);
    }

    private static (int Items, bool Ok) Items(byte[] body, string route, bool success)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return route switch
        {
            "GraphQL" => (root.GetProperty("data").GetProperty("artifact_versions").GetArrayLength(), success && !root.TryGetProperty("errors", out _)),
            "REST" => (root.GetProperty("data").GetArrayLength(), success),
            _ => (root.GetArrayLength(), success),
        };
    }

    private static string ResultTable(IEnumerable<LargeFigures> figures)
    {
        var table = new MarkdownTable(
            "data set", "route", "MB:", "items:", "first byte s:", "total s:", "baseline RSS MB:", "peak RSS MB:", "chunked", "answer");
        foreach (var f in figures)
        {
            table.Add(
                f.DataSet, f.Route, Megabytes(f.Bytes), Number(f.Items), Number(f.FirstByte.TotalSeconds, 2), Number(f.Total.TotalSeconds, 2),
                Megabytes(f.BaselineRss), Megabytes(f.PeakRss), f.Chunked ? "yes" : "no", f.Ok ? "200, data, no errors" : "FAILED");
        }

        return $"GraphQL: `{GraphQL}`; REST: `GET /{Rest}`, and the same with `&export=json` and `&export=csv` (a download: "
            + "CSV reads the list twice, the first time for its columns, so its first byte comes late). First byte: from sending the request to the first byte of the body; "
            + "total: to its last byte (read into memory by the client, then parsed to count the items). Baseline RSS: the server's "
            + "VmRSS before the request; peak RSS: its VmHWM over it (reset before; n/a where it cannot be reset). MB = 2^20 bytes. "
            + "The options --connections, --duration and the warm-ups do not apply.\n\n"
            + table;
    }

    private sealed record LargeFigures(
        string DataSet, string Route, long Bytes, int Items, TimeSpan FirstByte, TimeSpan Total, long? BaselineRss, long? PeakRss, bool Ok, bool Chunked);
}
