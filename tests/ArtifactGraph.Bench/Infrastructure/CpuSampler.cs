namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>CPU used during a period, in cores (1.0 = one core busy all the time), split by who used it.</summary>
public sealed record CpuUsage(double? Server, double? Postgres, double Bench, double? Machine, int Cores)
{
    /// <summary>Busy CPU of the machine that none of the three accounts for (other work on a shared machine).</summary>
    public double? Other => (Machine - (Server ?? 0) - (Postgres ?? 0) - Bench) is { } other ? Math.Max(0, other) : null;
}

/// <summary>
/// Samples the CPU time of the server processes (all nodes together), of the PostgreSQL cluster (the postmaster, its live
/// children and the children it has reaped) and of this process, so that a period's figures say where the time went.
/// </summary>
public sealed class CpuSampler(IReadOnlyList<int> serverPids, int? postmasterPid)
{
    public CpuSampler(int serverPid, int? postmasterPid)
        : this([serverPid], postmasterPid)
    {
    }

    private Snapshot? _start;
    private long _startTimestamp;

    public void Start()
    {
        _start = Take();
        _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public CpuUsage Stop()
    {
        var start = _start ?? throw new InvalidOperationException("Start was not called.");
        var end = Take();
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        double? Cores(TimeSpan? a, TimeSpan? b) => a is { } x && b is { } y ? (y - x).TotalSeconds / seconds : null;
        return new CpuUsage(
            Cores(start.Server, end.Server),
            Cores(start.Postgres, end.Postgres),
            (end.Bench - start.Bench).TotalSeconds / seconds,
            Cores(start.Machine, end.Machine),
            Environment.ProcessorCount);
    }

    private Snapshot Take() => new(
        ServersCpu(),
        PostgresCpu(),
        System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime,
        ProcFs.MachineCpu()?.Busy);

    private TimeSpan? ServersCpu()
    {
        var total = TimeSpan.Zero;
        foreach (var pid in serverPids)
        {
            if (ProcFs.CpuTime(pid) is not { } time)
            {
                return null;
            }

            total += time;
        }

        return total;
    }

    private TimeSpan? PostgresCpu()
    {
        if (postmasterPid is not { } pid || ProcFs.CpuTime(pid, withReapedChildren: true) is not { } total)
        {
            return null;
        }

        foreach (var child in ProcFs.Children(pid))
        {
            total += ProcFs.CpuTime(child) ?? TimeSpan.Zero;
        }

        return total;
    }

    private sealed record Snapshot(TimeSpan? Server, TimeSpan? Postgres, TimeSpan Bench, TimeSpan? Machine);
}
