using System.Globalization;
using Parley.LoadTest.Reports;

namespace Parley.LoadTest.Measurement;

/// <summary>
/// The server process's CPU time and resident memory, read from /proc (Linux, same machine). CPU is utime+stime of
/// /proc/&lt;pid&gt;/stat in clock ticks; USER_HZ is 100 on every Linux architecture .NET runs on.
/// </summary>
public sealed class ServerProbe
{
    private const double MicrosPerTick = 1_000_000.0 / 100;
    private readonly int _pid;

    private ServerProbe(int pid) => _pid = pid;

    /// <summary>A probe for <paramref name="pid"/>, or null when none was given or /proc does not show it.</summary>
    public static ServerProbe? For(int? pid)
    {
        if (pid is not { } p) return null;
        if (!File.Exists($"/proc/{p}/stat")) throw new ArgumentException($"--server-pid {p}: no such process on this machine");
        return new ServerProbe(p);
    }

    /// <summary>CPU time used so far, µs.</summary>
    public double CpuMicros()
    {
        var stat = File.ReadAllText($"/proc/{_pid}/stat");
        // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) * MicrosPerTick;
    }

    /// <summary>Resident memory now, KiB (VmRSS).</summary>
    public long RssKib()
    {
        foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
        return 0;
    }

    /// <summary>Starts a CPU measurement window.</summary>
    public CpuWindow StartWindow() => new(this, CpuMicros(), DateTime.UtcNow);

    /// <summary>CPU used between <see cref="StartWindow"/> and <see cref="Stop"/>.</summary>
    public sealed class CpuWindow(ServerProbe probe, double startMicros, DateTime startedAt)
    {
        public ServerCpu Stop(long units, string unitName)
        {
            var used = probe.CpuMicros() - startMicros;
            var seconds = (DateTime.UtcNow - startedAt).TotalSeconds;
            return new ServerCpu(
                Math.Round(used / 1000.0, 1),
                Math.Round(100 * used / 1_000_000.0 / Math.Max(seconds, 1e-3), 1),
                units,
                unitName,
                units > 0 ? Math.Round(used / units, 2) : null);
        }
    }
}
