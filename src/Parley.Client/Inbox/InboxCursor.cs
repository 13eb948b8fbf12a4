namespace Parley.Client.Inbox;

/// <summary>
/// Where the device stands in its inbox. Three marks, each only moving forward: the highest seq queued for the
/// application, the highest handed to it, and the highest processed (acknowledged). A seq at or below a mark is a
/// replay and is dropped, so that the application never sees a seq twice.
/// </summary>
internal sealed class InboxCursor
{
    private readonly bool _startKnown;
    private long _queued;
    private long _delivered;
    private long _processed;

    /// <param name="after">The seq the application processed before, or null to let the server decide.</param>
    public InboxCursor(long? after)
    {
        _startKnown = after.HasValue;
        _queued = _delivered = _processed = after ?? 0;
    }

    /// <summary>The highest seq handed to the application.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>The highest seq processed: the ack target.</summary>
    public long Processed => Volatile.Read(ref _processed);

    /// <summary>The <c>after</c> of the next <c>hello</c>: the processed mark, or null while nothing is known.</summary>
    public long? ResumeAfter
    {
        get
        {
            var processed = Processed;
            return _startKnown || processed > 0 ? processed : null;
        }
    }

    /// <summary>Called by the socket reader (one at a time): true when <paramref name="seq"/> is new and is to be queued.</summary>
    public bool TryQueue(long seq)
    {
        if (seq <= _queued) return false;
        _queued = seq;
        return true;
    }

    /// <summary>Called by the dispatcher (one at a time): true when <paramref name="seq"/> is to be handed to the application.</summary>
    public bool TryDeliver(long seq)
    {
        if (seq <= _delivered) return false;
        Volatile.Write(ref _delivered, seq);
        return true;
    }

    /// <summary>Moves the processed mark forward, never past what was delivered. True when it moved.</summary>
    public bool MarkProcessed(long seq)
    {
        var target = Math.Min(seq, Delivered);
        while (true)
        {
            var current = Volatile.Read(ref _processed);
            if (target <= current) return false;
            if (Interlocked.CompareExchange(ref _processed, target, current) == current) return true;
        }
    }
}
