using System.Collections.Concurrent;
using Parley.Core.Presence;
using Parley.Grains.Users;
using Parley.Server.Gateway;

namespace Parley.Server.Delivery;

/// <summary>
/// The inbox deliveries of the connections open on this node, by user, so that an event committed here reaches
/// them without a grain call; and this node's inbox as the cluster reaches it (<see cref="INodeInbox"/>): events
/// committed on other nodes, what the user grains say of their routes, and their calls for this node's connections
/// (by id, among the <see cref="LiveConnections"/>). It holds nothing that is not also somewhere else: the store has
/// every event, and each connection registers with its user's grain as well.
/// </summary>
internal sealed class LocalInboxes(IGrainFactory grains, NodeRoutes routes, LiveConnections live) : INodeInbox
{
    private readonly ConcurrentDictionary<string, InboxDelivery[]> _byUser = new(StringComparer.Ordinal);
    private NodeRoute? _route;

    /// <summary>This process, as the user grains tell their connections' nodes apart (new at every start).</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N");

    /// <summary>This node and its inbox, as the user grains reach it. Created once the node runs (Orleans is up by then).</summary>
    public NodeRoute Route
    {
        get
        {
            if (Volatile.Read(ref _route) is { } route) return route;
            // The reference must be one for the node's life: grains compare nodes by id, but keep the first inbox.
            lock (_byUser) return _route ??= new NodeRoute(Node, grains.CreateObjectReference<INodeInbox>(this));
        }
    }

    /// <summary>
    /// Adds a connection's delivery. Call it after its start is queued: a push that arrives from then on waits
    /// behind the start's catch-up, and the catch-up sees every event committed before.
    /// </summary>
    public void Add(string user, InboxDelivery delivery) =>
        _byUser.AddOrUpdate(user, static (_, d) => [d], static (_, all, d) => [.. all, d], delivery);

    public void Remove(string user, InboxDelivery delivery)
    {
        while (_byUser.TryGetValue(user, out var all))
        {
            var index = Array.IndexOf(all, delivery);
            if (index < 0) return;
            if (all.Length == 1)
            {
                if (_byUser.TryRemove(KeyValuePair.Create(user, all))) return;
                continue;
            }
            var rest = new InboxDelivery[all.Length - 1];
            Array.Copy(all, rest, index);
            Array.Copy(all, index + 1, rest, index, all.Length - index - 1);
            if (_byUser.TryUpdate(user, rest, all)) return;
        }
    }

    /// <summary>Hands one event to every connection of <paramref name="user"/> on this node.</summary>
    public void Push(string user, InboxPush push)
    {
        if (!_byUser.TryGetValue(user, out var all)) return;
        foreach (var delivery in all) delivery.OnPushed(push);
    }

    public Task OnInboxAsync(UserPushes[] pushes)
    {
        foreach (var (user, events) in pushes)
        {
            if (!_byUser.TryGetValue(user, out var all)) continue;
            foreach (var delivery in all) delivery.OnPushed(events);
        }
        return Task.CompletedTask;
    }

    public Task OnRouteAsync(string user, long version, int epoch, NodeRoute[] nodes)
    {
        routes.Learn(user, version, epoch, nodes);
        return Task.CompletedTask;
    }

    public Task OnRouteChangedAsync(string user, long version)
    {
        routes.Forget(user, version);
        return Task.CompletedTask;
    }

    public Task OnDeviceRevokedAsync(string[] connectionIds, string deviceId)
    {
        foreach (var id in connectionIds)
        {
            if (live.TryGet(id, out var connection)) connection.OnDeviceRevoked(deviceId);
        }
        return Task.CompletedTask;
    }

    public Task OnTypingAsync(string[] connectionIds, byte[] frame)
    {
        foreach (var id in connectionIds)
        {
            if (live.TryGet(id, out var connection)) connection.SignalTyping(frame);
        }
        return Task.CompletedTask;
    }

    public Task OnRegistrationLostAsync(string[] connectionIds)
    {
        foreach (var id in connectionIds)
        {
            if (live.TryGet(id, out var connection)) connection.Reattach();
        }
        return Task.CompletedTask;
    }

    public Task OnPrivacyChangedAsync(string[] connectionIds, LastSeenPrivacy privacy)
    {
        foreach (var id in connectionIds)
        {
            if (live.TryGet(id, out var connection)) connection.OnViewerPrivacyChanged();
        }
        return Task.CompletedTask;
    }
}
