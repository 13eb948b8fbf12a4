using Microsoft.Extensions.Logging;

namespace Parley.Grains.Users;

/// <summary>
/// The table of a user's live connections, on any node: each one's node, device and presence mode.
/// <c>ObserverManager</c> keeps no data beside an observer, and presence needs each connection's mode, so the
/// table (with the same expiry rule: a connection that stops re-attaching is forgotten) is kept here.
/// </summary>
internal sealed partial class UserSessions(TimeSpan expiry, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    // Connections that detached, for one expiry: a periodic re-attach sent just before the close may arrive after
    // it, and must not bring a closed connection back (it would keep its user online until it expired). Null while
    // none: most users' grains never see a detach while they are active, and an idle one holds no empty table.
    private Dictionary<string, DateTimeOffset>? _detached;

    /// <summary>Online: at least one connection that is neither background nor away.</summary>
    public bool IsOnline
    {
        get
        {
            foreach (var session in _sessions.Values)
            {
                if (session.Mode.Present) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Registers or refreshes a connection. Known is false when the table did not have it. LeftAt is set when this
    /// made a connection that counted toward online stop counting (it went away): the moment it did.
    /// </summary>
    public (bool Known, long? LeftAt) Attach(string connectionId, string deviceId, NodeRoute node, ConnectionMode mode)
    {
        var now = time.GetUtcNow();
        if (_detached?.ContainsKey(connectionId) == true) return (true, null);
        if (!_sessions.TryGetValue(connectionId, out var session))
        {
            _sessions[connectionId] = new Session(deviceId, node, mode, now);
            return (false, null);
        }
        return (true, Renew(session, mode, now));
    }

    /// <summary>
    /// Refreshes a known connection (its node is unchanged). Known is false when the table does not
    /// have it: it must attach in full. LeftAt as for <see cref="Attach"/>.
    /// </summary>
    public (bool Known, long? LeftAt) Refresh(string connectionId, ConnectionMode mode)
    {
        if (_detached?.ContainsKey(connectionId) == true) return (true, null);
        return _sessions.TryGetValue(connectionId, out var session) ? (true, Renew(session, mode, time.GetUtcNow())) : (false, null);
    }

    /// <summary>A known connection is alive at <paramref name="now"/> with <paramref name="mode"/>; see <see cref="Attach"/> for the result.</summary>
    private static long? Renew(Session session, ConnectionMode mode, DateTimeOffset now)
    {
        session.AttachedAt = now;
        // Re-attaches and presence.set travel separately; an older state arriving late is ignored.
        if (mode.Version < session.Mode.Version) return null;
        var wasPresent = session.Mode.Present;
        session.Mode = mode;
        return wasPresent && !mode.Present ? mode.ChangedAt : null;
    }

    /// <summary>Forgets a connection; when it counted toward online, returns <paramref name="lastPresentAt"/>.</summary>
    public long? Detach(string connectionId, long lastPresentAt)
    {
        (_detached ??= new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal))[connectionId] = time.GetUtcNow();
        return _sessions.Remove(connectionId, out var session) && session.Mode.Present ? lastPresentAt : null;
    }

    /// <summary>
    /// Forgets connections that stopped re-attaching (their node died). Returns, for those that counted toward
    /// online, the last time one of them was known alive.
    /// </summary>
    public long? Prune()
    {
        var now = time.GetUtcNow();
        List<string>? expired = null;
        long? leftAt = null;
        foreach (var (id, session) in _sessions)
        {
            if (now - session.AttachedAt <= expiry) continue;
            (expired ??= []).Add(id);
            var alive = session.AttachedAt.ToUnixTimeMilliseconds();
            if (session.Mode.Present && (leftAt is not { } t || alive > t)) leftAt = alive;
        }
        if (expired is not null)
        {
            foreach (var id in expired) _sessions.Remove(id);
        }
        if (_detached is not null)
        {
            foreach (var (id, at) in _detached)
            {
                if (now - at > expiry) _detached.Remove(id);
            }
            if (_detached.Count == 0) _detached = null;
        }
        return leftAt;
    }

    /// <summary>Calls every connection (one-way calls, one per node: nothing waits on a socket).</summary>
    public void Notify(Func<INodeInbox, string[], Task> call) => Notify(call, static (_, _) => true, "");

    /// <summary>Calls the connections that count toward online: the user is looking at them.</summary>
    public void NotifyPresent(Func<INodeInbox, string[], Task> call) => Notify(call, static (s, _) => s.Mode.Present, "");

    /// <summary>Calls the connections of one device.</summary>
    public void NotifyDevice(string deviceId, Func<INodeInbox, string[], Task> call) => Notify(call, static (s, device) => s.DeviceId == device, deviceId);

    /// <summary>Whether a connection on <paramref name="node"/> is registered.</summary>
    public bool HasNode(string node)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.Node.Node == node) return true;
        }
        return false;
    }

    /// <summary>The node of a registered connection, if it is.</summary>
    public string? NodeOf(string connectionId) => _sessions.TryGetValue(connectionId, out var session) ? session.Node.Node : null;

    /// <summary>The nodes with a registered connection, each once, except <paramref name="node"/>: the user's route as that node sees it.</summary>
    public NodeRoute[] NodesExcept(string? node)
    {
        List<NodeRoute>? nodes = null;
        foreach (var session in _sessions.Values)
        {
            if (session.Node.Node == node || (nodes is not null && nodes.Exists(n => n.Node == session.Node.Node))) continue;
            (nodes ??= []).Add(session.Node);
        }
        return nodes?.ToArray() ?? [];
    }

    /// <summary>Calls, through each node's inbox, that node's connections for which <paramref name="which"/> holds.</summary>
    private void Notify(Func<INodeInbox, string[], Task> call, Func<Session, string, bool> which, string argument)
    {
        // Most users have one node, or a few: a list of them is the cheapest shape.
        List<(NodeRoute Node, List<string> Ids)>? byNode = null;
        foreach (var (id, session) in _sessions)
        {
            if (!which(session, argument)) continue;
            byNode ??= [];
            var index = byNode.FindIndex(n => n.Node.Node == session.Node.Node);
            if (index < 0) byNode.Add((session.Node, [id]));
            else byNode[index].Ids.Add(id);
        }
        if (byNode is null) return;
        foreach (var (node, ids) in byNode)
        {
            try
            {
                call(node.Inbox, [.. ids]).Ignore();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A node that cannot be called now (it is gone): its connections' registrations expire.
                LogNotifyFailed(logger, ex);
            }
        }
    }

    private sealed class Session(string deviceId, NodeRoute node, ConnectionMode mode, DateTimeOffset attachedAt)
    {
        public string DeviceId { get; } = deviceId;
        public NodeRoute Node { get; } = node;
        public ConnectionMode Mode { get; set; } = mode;
        public DateTimeOffset AttachedAt { get; set; } = attachedAt;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Calling the node of a user's connections failed")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
