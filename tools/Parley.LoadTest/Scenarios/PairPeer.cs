using Parley.Client;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;

namespace Parley.LoadTest.Scenarios;

/// <summary>One user of the pairs scenario: sends to its partner, receives from it, and keeps what it needs to prove no loss.</summary>
public sealed class PairPeer(LoadUser user, LoadUser partner, ParleyClient client, ReceiptWaiter delivered, ReceiptWaiter? read)
{
    private readonly Lock _gate = new();
    private readonly List<long> _stored = [];
    private readonly HashSet<long> _received = [];

    public LoadUser User { get; } = user;
    public LoadUser Partner { get; } = partner;
    public ParleyClient Client { get; } = client;
    public ReceiptWaiter Delivered { get; } = delivered;
    public ReceiptWaiter? Read { get; } = read;

    /// <summary>Message k was stored at position n (its ok arrived).</summary>
    public void Stored(long k, long n, long sentAt)
    {
        lock (_gate) _stored.Add(k);
        Delivered.Stored(n, sentAt);
        Read?.Stored(n, sentAt);
    }

    /// <summary>Message k of the partner arrived; false when it had arrived before.</summary>
    public bool Received(long k)
    {
        lock (_gate) return _received.Add(k);
    }

    /// <summary>How many of <paramref name="sender"/>'s stored messages this peer never received.</summary>
    public long MissingFrom(PairPeer sender)
    {
        long[] stored;
        lock (sender._gate) stored = [.. sender._stored];
        lock (_gate) return stored.LongCount(k => !_received.Contains(k));
    }
}
