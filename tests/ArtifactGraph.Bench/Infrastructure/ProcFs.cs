using System.Globalization;

namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>What Linux's <c>/proc</c> says about a process: CPU time, parent, peak memory. Null where unreadable.</summary>
public static class ProcFs
{
    // USER_HZ: the unit of the times in /proc/<pid>/stat and /proc/stat, 100 on every mainstream Linux ABI.
    private const double TicksPerSecond = 100;

    public static bool IsAvailable => File.Exists("/proc/self/stat");

    /// <summary>User + system CPU time of the process; with <paramref name="withReapedChildren"/> also of its exited, reaped children.</summary>
    public static TimeSpan? CpuTime(int pid, bool withReapedChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return null;
        }

        // After the ")" of the command name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withReapedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static int? ParentPid(int pid)
        => StatFields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    /// <summary>The live processes whose parent is <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate) && ParentPid(candidate) == pid)
            {
                children.Add(candidate);
            }
        }

        return children;
    }

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long? PeakRss(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    /// <summary>Current resident set size (VmRSS) in bytes.</summary>
    public static long? Rss(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>Resets the peak resident set size to the current one (Linux ≥ 4.0); false when not permitted.</summary>
    public static bool ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>CPU time of the whole machine since boot: busy (not idle or waiting for I/O) and total, over all cores.</summary>
    public static (TimeSpan Busy, TimeSpan Total)? MachineCpu()
    {
        var line = ReadOrNull("/proc/stat")?.Split('\n', 2)[0];
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
        {
            return null;
        }

        // cpu user nice system idle iowait irq softirq steal (guest times are already inside user).
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = values.Sum();
        var busy = total - values[3] - values[4];
        return (TimeSpan.FromSeconds(busy / TicksPerSecond), TimeSpan.FromSeconds(total / TicksPerSecond));
    }

    private static string[]? StatFields(int pid)
    {
        var stat = ReadOrNull($"/proc/{pid}/stat");
        var end = stat?.LastIndexOf(')') ?? -1;
        return end < 0 ? null : stat![(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static long? StatusKilobytes(int pid, string key)
    {
        var line = ReadOrNull($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
