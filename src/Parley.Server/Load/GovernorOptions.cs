using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Load;

/// <summary>Parley:Governor: how the load governor reads pressure and what each level does.</summary>
public sealed class GovernorOptions
{
    public const string Section = "Parley:Governor";

    /// <summary>How often the signals are read.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The level rises at the first sample that calls for it, and falls only after the signals stayed lower this long.</summary>
    public TimeSpan CalmPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Holds the level at this value whatever the signals say (operators, tests); null lets the signals decide.</summary>
    [Range(0, 3)]
    public int? ForceLevel { get; set; }

    /// <summary>From level 2: acks (hence delivered receipts) and group receipt aggregation are coalesced over this interval.</summary>
    public TimeSpan SlowReceiptInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At level 3, the <c>retryAfterMs</c> of <c>overloaded</c> answers (and the Retry-After of a refused upload).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Frames waiting in the writer queues of all this node's sockets together.</summary>
    public GovernorThresholds OutboundBacklog { get; set; } = new() { Level1 = 50_000, Level2 = 200_000, Level3 = 500_000 };

    /// <summary>
    /// Bytes of those frames. Level 3 refuses the requests with the largest replies (<c>history</c>, <c>convs</c>, ...),
    /// so a node whose sockets hold a lot of unread replies stops adding to them.
    /// </summary>
    public GovernorThresholds OutboundBytes { get; set; } = new() { Level1 = 256L * 1024 * 1024, Level2 = 1024L * 1024 * 1024, Level3 = 2048L * 1024 * 1024 };

    /// <summary>Writes waiting for the store's writer (its capacity is Parley:Storage:WriteQueueCapacity).</summary>
    public GovernorThresholds StoreQueue { get; set; } = new() { Level1 = 2_000, Level2 = 8_000, Level3 = 16_000 };

    /// <summary>Milliseconds the oldest uncommitted write has waited for the store.</summary>
    public GovernorThresholds StoreLagMs { get; set; } = new() { Level1 = 500, Level2 = 2_000, Level3 = 10_000 };

    /// <summary>Work items queued for the thread pool (<c>ThreadPool.PendingWorkItemCount</c>).</summary>
    public GovernorThresholds ThreadPoolQueue { get; set; } = new() { Level1 = 1_000, Level2 = 5_000, Level3 = 20_000 };

    /// <summary>The CPU signal is the process's use over this window, so that only sustained use counts.</summary>
    public TimeSpan CpuWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The process's CPU use over the last <see cref="CpuWindow"/>, in percent of all cores. Only level 1 by default: a busy CPU that
    /// keeps up shows no queues, and queues are what the higher levels answer.
    /// </summary>
    public GovernorThresholds CpuPercent { get; set; } = new() { Level1 = 90 };
}

/// <summary>The value of one signal at which each level starts; 0 means that signal never calls for the level.</summary>
public sealed class GovernorThresholds
{
    public double Level1 { get; set; }

    public double Level2 { get; set; }

    public double Level3 { get; set; }

    /// <summary>The highest level whose threshold <paramref name="value"/> reaches.</summary>
    public int LevelOf(double value) =>
        Level3 > 0 && value >= Level3 ? 3 : Level2 > 0 && value >= Level2 ? 2 : Level1 > 0 && value >= Level1 ? 1 : 0;

    /// <summary>No threshold is negative, and those set for higher levels are not below those of lower levels.</summary>
    public bool IsOrdered()
    {
        var last = 0.0;
        foreach (var t in (ReadOnlySpan<double>)[Level1, Level2, Level3])
        {
            if (t < 0) return false;
            if (t == 0) continue;
            if (t < last) return false;
            last = t;
        }
        return true;
    }
}
