using Microsoft.Extensions.Options;
using Parley.Core.Load;
using Parley.Server.Load;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>
/// Admission control for socket upgrades, node-wide. Between its upgrade and its <c>welcome</c> a socket costs the most:
/// the upgrade, the hello, the token check, the inbox head read and the attach to its user's grain. A node that welcomes
/// slower than sockets arrive (a reconnect storm, a starved thread pool) otherwise keeps accepting sockets it cannot
/// serve before their clients give up, and those clients come back into the same queue. So at most
/// <see cref="GatewayOptions.MaxPendingHandshakes"/> sockets may be between the two, and none is admitted while the
/// governor is at <see cref="GatewayOptions.RefuseUpgradesFromLevel"/> or above; a further upgrade is refused at once
/// with 503 <c>overloaded</c> and Retry-After, which costs a few hundred bytes written and no work.
/// </summary>
internal sealed partial class UpgradeAdmission
{
    /// <summary>Refusals are logged at most this often (a storm refuses thousands a second); the metric counts each.</summary>
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly int _max;
    private readonly int _refuseFromLevel;
    private readonly TimeSpan _retryAfter;
    private readonly TimeSpan _loadRetryAfter;
    private readonly ILoadLevel _load;
    private readonly ParleyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _pending;
    private int _refusedSinceLog;
    private long _lastLogAt = long.MinValue;

    public UpgradeAdmission(IOptions<GatewayOptions> gateway, IOptions<GovernorOptions> governor, ILoadLevel load, ParleyMetrics metrics,
        TimeProvider time, ILogger<UpgradeAdmission> logger)
    {
        (_max, _refuseFromLevel, _retryAfter) = (gateway.Value.MaxPendingHandshakes, gateway.Value.RefuseUpgradesFromLevel, gateway.Value.UpgradeRetryAfter);
        _loadRetryAfter = governor.Value.RetryAfter;
        (_load, _metrics, _time, _logger) = (load, metrics, time, logger);
    }

    /// <summary>Sockets admitted and not yet welcomed (or gone).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Admits one socket: its ticket, to dispose once it is welcomed or gone; or null and how long the client should wait
    /// before it tries again.
    /// </summary>
    public IDisposable? TryAdmit(out TimeSpan retryAfter)
    {
        var level = (int)_load.Current;
        if (_refuseFromLevel > 0 && level >= _refuseFromLevel)
        {
            retryAfter = _loadRetryAfter;
            Refused("load", level);
            return null;
        }
        if (Interlocked.Increment(ref _pending) > _max)
        {
            Interlocked.Decrement(ref _pending);
            retryAfter = _retryAfter;
            Refused("pending", level);
            return null;
        }
        retryAfter = TimeSpan.Zero;
        _metrics.PendingHandshakes(1);
        return new Ticket(this);
    }

    private void Leave()
    {
        Interlocked.Decrement(ref _pending);
        _metrics.PendingHandshakes(-1);
    }

    private void Refused(string reason, int level)
    {
        _metrics.UpgradeRefused(reason);
        Interlocked.Increment(ref _refusedSinceLog);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogAt);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < LogInterval) return;
        if (Interlocked.CompareExchange(ref _lastLogAt, now, last) != last) return;
        LogRefusing(_logger, Interlocked.Exchange(ref _refusedSinceLog, 0), reason, Pending, _max, level);
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "Refused {Count} socket upgrades with 503 since the last such line (this one: {Reason}); {Pending} sockets awaiting their welcome (cap {Cap}), load level {Level}")]
    private static partial void LogRefusing(ILogger logger, int count, string reason, int pending, int cap, int level);

    /// <summary>One admitted socket's place: given back once, when it is welcomed or gone (a second dispose does nothing).</summary>
    private sealed class Ticket(UpgradeAdmission admission) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) admission.Leave();
        }
    }
}
