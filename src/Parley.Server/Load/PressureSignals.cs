using System.Diagnostics;
using Parley.Server.Gateway;
using Parley.Storage.Relational;

namespace Parley.Server.Load;

/// <summary>Reads the pressure signals of this node: the sockets' writer queues, the store's writer, the thread pool and the CPU.</summary>
internal sealed class PressureSignals(LiveConnections connections, RelationalStore store)
{
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private long _lastAt = Stopwatch.GetTimestamp();

    /// <summary>Reads every signal. CPU is averaged since the previous call: one caller (the governor's loop).</summary>
    public PressureSample Read()
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var wall = Stopwatch.GetElapsedTime(_lastAt, now);
        var cpuPercent = wall > TimeSpan.Zero ? 100 * (cpu - _lastCpu) / (wall * Environment.ProcessorCount) : 0;
        (_lastCpu, _lastAt) = (cpu, now);
        var storeLoad = store.Load;
        return new PressureSample(connections.OutboundBacklog(), storeLoad.QueueDepth, storeLoad.CommitLag.TotalMilliseconds,
            ThreadPool.PendingWorkItemCount, cpuPercent);
    }
}
