namespace Parley.LoadTest.Measurement;

/// <summary>
/// Matches one sender's messages in one conversation to the cumulative receipts of one status (delivered or read):
/// a receipt "up to n" completes every message at or below n. A receipt may arrive before the send's ok, so the
/// highest n seen is kept and a message whose ok comes later completes at once.
/// </summary>
public sealed class ReceiptWaiter(LatencyHistogram latency)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, long> _waiting = [];
    private long _upTo;

    public int Outstanding
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    /// <summary>The message at position <paramref name="n"/>, sent at <paramref name="sentAt"/> (long.MinValue: not measured), was stored.</summary>
    public void Stored(long n, long sentAt)
    {
        lock (_gate)
        {
            if (n <= _upTo) Complete(sentAt);
            else _waiting[n] = sentAt;
        }
    }

    public void Receipt(long upTo)
    {
        lock (_gate)
        {
            if (upTo <= _upTo) return;
            _upTo = upTo;
            while (_waiting.Count > 0)
            {
                var first = _waiting.First();
                if (first.Key > upTo) break;
                _waiting.Remove(first.Key);
                Complete(first.Value);
            }
        }
    }

    private void Complete(long sentAt)
    {
        if (sentAt != long.MinValue) latency.RecordSince(sentAt);
    }
}
