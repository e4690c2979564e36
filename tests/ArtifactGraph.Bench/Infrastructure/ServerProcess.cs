using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>The server under test, running as a child process on a free loopback port until disposed.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Peak resident memory since the start or the last <see cref="ResetPeakMemory"/>, in bytes (null off Linux).</summary>
    public long? PeakMemory => ProcFs.PeakRss(Pid);

    /// <summary>Current resident memory in bytes (null off Linux).</summary>
    public long? Memory => ProcFs.Rss(Pid);

    /// <summary>Starts the peak memory afresh (false when the kernel does not allow it: the peak then covers the whole run).</summary>
    public bool ResetPeakMemory() => ProcFs.ResetPeakRss(Pid);

    /// <summary>Starts the server with <paramref name="environment"/> plus HOST/PORT and waits until <c>/server/ping</c> answers.</summary>
    public static async Task<ServerProcess> StartAsync(
        ServerDll dll, IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var env = new Dictionary<string, string>(environment) { ["HOST"] = "127.0.0.1", ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var process = Process.Start(dll.StartInfo([], env, workingDirectory))!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitForPingAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitForPingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await http.GetAsync("server/ping", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The server did not answer /server/ping within {timeout.TotalSeconds} s:\n{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 50)
            {
                _lastLines.Dequeue();
            }
        }
    }

    /// <summary>The last lines the server wrote (its log), to explain a failure.</summary>
    public string Output()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
