using System.Globalization;

namespace Parley.Server.Load;

/// <summary>One reading of the pressure signals the governor decides on.</summary>
/// <param name="OutboundBacklog">Frames waiting in the writer queues of all sockets of this node.</param>
/// <param name="OutboundBytes">Bytes of those frames.</param>
/// <param name="StoreQueue">Writes waiting for the store's writer.</param>
/// <param name="StoreLagMs">How long the oldest uncommitted write has waited, in milliseconds.</param>
/// <param name="ThreadPoolQueue">Work items waiting for a thread-pool thread.</param>
/// <param name="CpuPercent">This process's CPU use over the CPU window, in percent of all cores.</param>
internal readonly record struct PressureSample(long OutboundBacklog, long OutboundBytes, int StoreQueue, double StoreLagMs, long ThreadPoolQueue, double CpuPercent)
{
    /// <summary>The level these values call for under <paramref name="options"/>: the highest any one signal reaches.</summary>
    public int LevelUnder(GovernorOptions options) => Math.Max(
        Math.Max(Math.Max(options.OutboundBacklog.LevelOf(OutboundBacklog), options.OutboundBytes.LevelOf(OutboundBytes)), options.StoreQueue.LevelOf(StoreQueue)),
        Math.Max(Math.Max(options.StoreLagMs.LevelOf(StoreLagMs), options.ThreadPoolQueue.LevelOf(ThreadPoolQueue)), options.CpuPercent.LevelOf(CpuPercent)));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"outbound backlog {OutboundBacklog} frames ({OutboundBytes / 1024} KiB), store queue {StoreQueue}, store lag {StoreLagMs:0} ms, thread-pool queue {ThreadPoolQueue}, CPU {CpuPercent:0}%");
}
