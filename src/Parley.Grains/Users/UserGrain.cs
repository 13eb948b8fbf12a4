using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Parley.Core.Load;
using Parley.Core.Presence;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Grains.Presence;

namespace Parley.Grains.Users;

/// <inheritdoc cref="IUserGrain" />
public sealed partial class UserGrain : Grain, IUserGrain
{
    private readonly UserSessions _sessions;
    // The connections following this user's presence; null while none does (most users, most of the time): the manager,
    // its table and its clock delegate are ~0.25 KB per active grain.
    private ObserverManager<string, IPresenceObserver>? _watchers;
    private readonly IPresenceStore _store;
    private readonly TimeProvider _time;
    private readonly PresenceOptions _presence;
    private readonly SessionRegistryOptions _registry;
    private readonly ILogger _logger;
    private readonly string _user;
    private readonly ILoadLevel _load;
    private readonly RouteCachers _routes;
    private LastSeenTracker _lastSeen = new(null);
    private LastSeenPrivacy _privacy;
    private bool _online;
    private IGrainTimer? _write;
    private bool _writeArmed;
    // The armed write is one that must happen now (the user went offline), not a periodic one that load may postpone.
    private bool _flushArmed;

    public UserGrain(IPresenceStore store, TimeProvider time, IOptions<PresenceOptions> presence, IOptions<SessionRegistryOptions> registry,
        ILoadLevel load, ILogger<UserGrain> logger)
    {
        _load = load;
        _store = store;
        _time = time;
        _presence = presence.Value;
        _registry = registry.Value;
        _logger = logger;
        _user = this.GetPrimaryKeyString();
        _sessions = new UserSessions(_registry.ConnectionExpiry, time, logger);
        _routes = new RouteCachers(_user, time, _registry.RouteChangeTimeout, logger);
    }

    private Username User => new(_user);

    private PresenceState State => new(_online, _lastSeen.Value, _privacy);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.GetPresenceAsync(User, cancellationToken);
        _privacy = stored.Privacy;
        _lastSeen = new LastSeenTracker(stored.LastSeen);
        // Connections of a node that died never detach; their registrations expire, and the user may go offline.
        this.RegisterGrainTimer(PruneAsync, new GrainTimerCreationOptions(_registry.RefreshInterval, _registry.RefreshInterval));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Whatever the reason, the connections' registrations go with this activation, and a push to the next one
        // would miss them until their node's periodic refresh. A node's death alone does not cover it: it also
        // deactivates grains on live nodes whose directory entry it held, possibly just after their connections
        // re-attached because of that death.
        _sessions.Notify(static (inbox, ids) => inbox.OnRegistrationLostAsync(ids));
        // The next activation does not know which nodes hold the route, so it could not tell them of a change.
        await _routes.ForgetAsync();
        // Shutting down (or moving) while online: the user was seen until now. Nothing may be left unsaved.
        if (_online) _lastSeen.Record(Now());
        await WriteLastSeenAsync(cancellationToken);
    }

    public async Task<bool> AttachAsync(string connectionId, string deviceId, NodeRoute node, ConnectionMode mode)
    {
        var joins = !_sessions.HasNode(node.Node);
        var (known, leftAt) = _sessions.Attach(connectionId, deviceId, node, mode);
        PresenceChanged(leftAt);
        if (joins && _sessions.HasNode(node.Node)) await _routes.ForgetAsync();
        return known;
    }

    public Task<string[]> RefreshAsync(SessionRefresh[] connections)
    {
        List<string>? unknown = null;
        long? leftAt = null;
        foreach (var connection in connections)
        {
            var (known, left) = _sessions.Refresh(connection.ConnectionId, connection.Mode);
            if (!known) (unknown ??= []).Add(connection.ConnectionId);
            if (left is { } t && (leftAt is not { } latest || t > latest)) leftAt = t;
        }
        PresenceChanged(leftAt);
        return Task.FromResult(unknown?.ToArray() ?? []);
    }

    public Task DetachAsync(string connectionId, long lastPresentAt)
    {
        var node = _sessions.NodeOf(connectionId);
        PresenceChanged(_sessions.Detach(connectionId, lastPresentAt));
        if (node is not null && !_sessions.HasNode(node)) _routes.ForgetLater();
        return Task.CompletedTask;
    }

    public Task PublishAsync(InboxPush[] events, NodeRoute publisher, int epoch)
    {
        var nodes = _sessions.NodesExcept(publisher.Node);
        if (nodes.Length > 0)
        {
            UserPushes[] batch = [new(_user, events)];
            foreach (var node in nodes)
            {
                try
                {
                    node.Inbox.OnInboxAsync(batch).Ignore();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A node that cannot be called now (it is gone): its registrations expire.
                    LogPushFailed(_logger, ex);
                }
            }
        }
        _routes.Answer(publisher, epoch, nodes);
        return Task.CompletedTask;
    }

    public Task RevokeDeviceAsync(string deviceId)
    {
        _sessions.NotifyDevice(deviceId, (inbox, ids) => inbox.OnDeviceRevokedAsync(ids, deviceId));
        return Task.CompletedTask;
    }

    public Task TouchAsync(long at)
    {
        _lastSeen.Record(at);
        ScheduleWrite(flush: false);
        return Task.CompletedTask;
    }

    public Task<PresenceState> WatchAsync(string watcherId, IPresenceObserver observer)
    {
        _watchers ??= new ObserverManager<string, IPresenceObserver>(_registry.ConnectionExpiry, _logger)
        {
            GetDateTime = () => _time.GetUtcNow().UtcDateTime,
        };
        _watchers.Subscribe(watcherId, observer);
        return Task.FromResult(State);
    }

    public Task UnwatchAsync(string watcherId)
    {
        if (_watchers is null) return Task.CompletedTask;
        _watchers.Unsubscribe(watcherId);
        if (_watchers.Count == 0) _watchers = null;
        return Task.CompletedTask;
    }

    public Task<LastSeenPrivacy> GetPrivacyAsync() => Task.FromResult(_privacy);

    public async Task SetPrivacyAsync(LastSeenPrivacy privacy)
    {
        await _store.SetLastSeenPrivacyAsync(User, privacy, CancellationToken.None);
        if (privacy == _privacy) return;
        _privacy = privacy;
        NotifyWatchers();
        _sessions.Notify((inbox, ids) => inbox.OnPrivacyChangedAsync(ids, privacy));
    }

    public Task RelayTypingAsync(byte[] frame)
    {
        _sessions.NotifyPresent((inbox, ids) => inbox.OnTypingAsync(ids, frame));
        return Task.CompletedTask;
    }

    /// <summary>
    /// After any change to the connections: a connection that stopped counting toward online was seen until
    /// <paramref name="leftAt"/>; when the user as a whole went online or offline, watchers are told.
    /// </summary>
    private void PresenceChanged(long? leftAt)
    {
        if (leftAt is { } t) _lastSeen.Record(t);
        var online = _sessions.IsOnline;
        if (online == _online)
        {
            ScheduleWrite(flush: false);
            return;
        }
        _online = online;
        // Going offline is when last seen matters most: it is written at once rather than at the next interval.
        ScheduleWrite(flush: !online);
        NotifyWatchers();
    }

    public Task BlocksChangedAsync()
    {
        NotifyWatchers();
        return Task.CompletedTask;
    }

    private void NotifyWatchers()
    {
        if (_watchers is null) return;
        var (user, state) = (_user, State);
        _watchers.Notify(o => o.OnPresenceAsync(user, state)).Ignore();
    }

    private Task PruneAsync(CancellationToken cancellationToken)
    {
        var nodes = _sessions.NodesExcept(null).Length;
        PresenceChanged(_sessions.Prune());
        if (_sessions.NodesExcept(null).Length < nodes) _routes.ForgetLater();
        if (_watchers is not null)
        {
            _watchers.ClearExpired();
            if (_watchers.Count == 0) _watchers = null;
        }
        return Task.CompletedTask;
    }

    private void ScheduleWrite(bool flush)
    {
        if (!_lastSeen.Unsaved || (_writeArmed && !flush)) return;
        var due = flush ? TimeSpan.Zero : _lastSeen.DueIn(_time.GetUtcNow(), _presence.LastSeenWriteInterval);
        _writeArmed = true;
        _flushArmed |= flush;
        if (_write is null)
        {
            _write = this.RegisterGrainTimer(OnWriteDueAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _write.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// The write timer. From load level 1 a periodic write is postponed by an interval (the value stays in memory,
    /// and the write happens once the level falls); the write of a user going offline is never postponed.
    /// </summary>
    private Task OnWriteDueAsync(CancellationToken cancellationToken)
    {
        if (!_flushArmed && _load.Current >= LoadLevel.Busy && _lastSeen.Unsaved)
        {
            _load.CountShed(ShedKinds.LastSeenWrite);
            _write!.Change(_presence.LastSeenWriteInterval, Timeout.InfiniteTimeSpan);
            return Task.CompletedTask;
        }
        return WriteLastSeenAsync(cancellationToken);
    }

    private async Task WriteLastSeenAsync(CancellationToken cancellationToken)
    {
        _writeArmed = false;
        _flushArmed = false;
        if (_lastSeen.Value is not { } value || !_lastSeen.Unsaved) return;
        try
        {
            await _store.SaveLastSeenAsync(User, value, cancellationToken);
            _lastSeen.Saved(value, _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The value stays in memory and unsaved; the next interval tries again.
            LogLastSeenWriteFailed(_logger, User.Value, ex);
            _lastSeen.Failed(_time.GetUtcNow());
        }
        // Timer callbacks do not interleave with calls, so only a failure leaves something unsaved here.
        ScheduleWrite(flush: false);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Pushing to a node failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Writing the last seen of {User} failed; retrying at the next interval")]
    private static partial void LogLastSeenWriteFailed(ILogger logger, string user, Exception exception);
}
