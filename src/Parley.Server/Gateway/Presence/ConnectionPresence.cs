using Parley.Grains.Users;

namespace Parley.Server.Gateway.Presence;

/// <summary>
/// What one connection says about its user's presence: background or not, active or away, and the user's
/// actions on it. The user's grain combines every connection's mode into online or offline.
/// </summary>
internal sealed class ConnectionPresence
{
    private readonly Lock _lock;
    private readonly IUserGrain _grain;
    private readonly TimeProvider _time;
    private readonly long _touchIntervalMs;
    private ConnectionMode _mode;
    private long _touchedAt;

    /// <param name="sync">The connection's one lock (see OutboundQueue).</param>
    public ConnectionPresence(IUserGrain grain, bool background, TimeSpan touchInterval, TimeProvider time, Lock sync)
    {
        _lock = sync;
        _grain = grain;
        _time = time;
        _touchIntervalMs = (long)touchInterval.TotalMilliseconds;
        _mode = new ConnectionMode(background, Away: false, Version: 0, ChangedAt: Now());
    }

    public bool Background => _mode.Background;

    /// <summary>The mode to attach with (start, refresh, <c>presence.set</c>).</summary>
    public ConnectionMode Mode
    {
        get
        {
            lock (_lock) return _mode;
        }
    }

    /// <summary><c>presence.set</c>: the new mode, newer than any sent before.</summary>
    public ConnectionMode SetAway(bool away)
    {
        lock (_lock)
        {
            _mode = _mode with { Away = away, Version = _mode.Version + 1, ChangedAt = Now() };
            return _mode;
        }
    }

    /// <summary>
    /// A user action on this connection (from the reader only): last seen moves, unless this is a background connection.
    /// While the connection counts toward online, one grain call per touch interval is enough: the moment it stops
    /// counting is recorded when that happens and is later than this action.
    /// </summary>
    public void OnUserAction()
    {
        var mode = Mode;
        if (mode.Background) return;
        var now = Now();
        if (mode.Present && now - _touchedAt < _touchIntervalMs) return;
        _touchedAt = now;
        _grain.TouchAsync(now).Ignore();
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
