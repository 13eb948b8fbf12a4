using System.Globalization;

namespace Parley.Testing;

/// <summary>A child process's memory, from /proc/PID/status (Linux).</summary>
public static class ProcessStatus
{
    /// <summary>A field such as VmRSS or VmHWM, in bytes.</summary>
    public static long Read(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Resets the peak (VmHWM) to the current size, so that a peak read afterwards is what came since (Linux 4.0+).</summary>
    public static Task ResetPeakAsync(int pid) => File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5");
}
