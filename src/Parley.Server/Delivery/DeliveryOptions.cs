using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Delivery;

/// <summary>Parley:Delivery: re-push of un-acked inbox events.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Parley:Delivery";

    /// <summary>How long a device has to ack before its un-acked events are pushed again (then 2x, 4x, ...).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a device's ack that owes no one a receipt (it covers no direct message from someone else: group messages,
    /// its own, receipts, events) may wait to be stored together with the acks after it. Zero (the default): every ack at once;
    /// a `receipts` request then sees a member's ack at once, which the conformance suite expects.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan LazyAckDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a live push past a gap in a connection's seqs waits for the events before it (committed by another writer,
    /// their push on its way) before the connection reads them from the store instead. Zero: the store at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan GapWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pushes of the same events, the first included, before the socket is closed with 4409.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>A message no device of a recipient acked within this long fails for its sender.</summary>
    public TimeSpan MaxPendingAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often messages pending past <see cref="MaxPendingAge"/> are looked for (and failed).</summary>
    public TimeSpan FailureSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pending messages failed per transaction; a sweep runs batches until none is left.</summary>
    [Range(1, 1_000_000)]
    public int FailureSweepBatchSize { get; set; } = 1000;
}
