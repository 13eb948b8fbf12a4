using System.Collections.Concurrent;

namespace Parley.LoadTest.Measurement;

/// <summary>The counts of a traffic run, updated from every client's thread.</summary>
public sealed class TrafficCounters
{
    private long _sent;
    private long _ok;
    private long _resent;
    private long _delivered;
    private long _deliveredInWindow;
    private long _duplicates;
    private long _errors;
    private long _foreign;

    public long Sent => Interlocked.Read(ref _sent);
    public long Ok => Interlocked.Read(ref _ok);
    public long Resent => Interlocked.Read(ref _resent);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long DeliveredInWindow => Interlocked.Read(ref _deliveredInWindow);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Messages that are not this run's (an earlier run's, handed to a new device of a reused account): ignored.</summary>
    public long Foreign => Interlocked.Read(ref _foreign);

    /// <summary>Errors by code (the server's error code, or the exception type).</summary>
    public ConcurrentDictionary<string, long> ErrorsByCode { get; } = new(StringComparer.Ordinal);

    public void CountSent() => Interlocked.Increment(ref _sent);

    /// <summary>An ok; <paramref name="duplicate"/>: the server answered a re-send (after a reconnect) with the first reply.</summary>
    public void CountOk(bool duplicate)
    {
        Interlocked.Increment(ref _ok);
        if (duplicate) Interlocked.Increment(ref _resent);
    }

    public void CountDelivered(bool inWindow)
    {
        Interlocked.Increment(ref _delivered);
        if (inWindow) Interlocked.Increment(ref _deliveredInWindow);
    }

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountForeign() => Interlocked.Increment(ref _foreign);

    public void CountError(string code)
    {
        Interlocked.Increment(ref _errors);
        ErrorsByCode.AddOrUpdate(code, 1, static (_, n) => n + 1);
    }

    public string ErrorSummary() =>
        ErrorsByCode.IsEmpty ? "none" : string.Join(", ", ErrorsByCode.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"));
}
