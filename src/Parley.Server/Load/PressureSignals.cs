using System.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Server.Gateway;
using Parley.Storage.Relational;

namespace Parley.Server.Load;

/// <summary>Reads the pressure signals of this node: the sockets' writer queues, the store's writer, the thread pool and the CPU.</summary>
internal sealed class PressureSignals(LiveConnections connections, RelationalStore store, IOptions<GovernorOptions> options)
{
    private readonly TimeSpan _cpuWindow = options.Value.CpuWindow;
    // (Stopwatch timestamp, process CPU time) readings, the oldest one at least a window old once there is one.
    private readonly Queue<(long At, TimeSpan Cpu)> _cpu = new([(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime)]);

    /// <summary>Reads every signal. One caller at a time (the governor's loop).</summary>
    public PressureSample Read()
    {
        var storeLoad = store.Load;
        return new PressureSample(connections.OutboundBacklog(), connections.OutboundBytes(), storeLoad.QueueDepth, storeLoad.CommitLag.TotalMilliseconds,
            ThreadPool.PendingWorkItemCount, CpuPercent());
    }

    /// <summary>
    /// CPU use over the last window in percent of all cores. The divisor is always the whole window, so a burst
    /// shortly after start (JIT, warming caches) counts as a burst, not as saturation.
    /// </summary>
    private double CpuPercent()
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        _cpu.Enqueue((now, cpu));
        while (_cpu.Count > 2 && Stopwatch.GetElapsedTime(_cpu.ElementAt(1).At, now) >= _cpuWindow) _cpu.Dequeue();
        var (_, oldest) = _cpu.Peek();
        return 100 * (cpu - oldest) / (_cpuWindow * Environment.ProcessorCount);
    }
}
