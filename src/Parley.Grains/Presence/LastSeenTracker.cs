namespace Parley.Grains.Presence;

/// <summary>
/// A user's last seen in memory and what of it is stored, so that store writes can be coalesced: the value
/// moves with every action, the store at most once per interval (and at once when the user goes offline).
/// </summary>
internal sealed class LastSeenTracker(long? stored)
{
    private long? _stored = stored;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>The last seen (Unix ms), or null when the user was never seen.</summary>
    public long? Value { get; private set; } = stored;

    /// <summary>Whether <see cref="Value"/> is ahead of the store.</summary>
    public bool Unsaved => Value is { } value && (_stored is not { } stored || value > stored);

    /// <summary>The user was seen at <paramref name="at"/>; last seen never moves back.</summary>
    public void Record(long at)
    {
        if (Value is not { } value || at > value) Value = at;
    }

    /// <summary>How long until the next write is allowed.</summary>
    public TimeSpan DueIn(DateTimeOffset now, TimeSpan interval)
    {
        var due = _lastWrite + interval - now;
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }

    /// <summary><paramref name="value"/> is now in the store.</summary>
    public void Saved(long value, DateTimeOffset at)
    {
        if (_stored is not { } stored || value > stored) _stored = value;
        _lastWrite = at;
    }

    /// <summary>A write failed: the value stays unsaved, and the next try waits a full interval.</summary>
    public void Failed(DateTimeOffset at) => _lastWrite = at;
}
