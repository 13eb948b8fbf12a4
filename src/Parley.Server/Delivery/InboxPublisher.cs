using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Grains.Groups;
using Parley.Grains.Users;
using Parley.Protocol.Frames;
using Parley.Server.Hosting;

namespace Parley.Server.Delivery;

/// <summary>
/// After a commit: hands the inbox entries just written to the users' connections on this node directly, and, in a
/// cluster, to the other nodes with connections of those users: in one call per node for the users whose route this
/// node knows (<see cref="NodeRoutes"/>), through each user's grain for the others (which answers with the route). A
/// push that is lost (a grain moving, a node dying) is not a lost event: the entry is in the store and the connection
/// catches up from there.
/// </summary>
internal sealed partial class InboxPublisher(IGrainFactory grains, LocalInboxes local, NodeRoutes routes, IOptions<ClusterNodeOptions> cluster,
    ILogger<InboxPublisher> logger)
    : IInboxPublisher
{
    // One embedded node has every connection: nothing goes to other nodes.
    private readonly bool _otherNodes = cluster.Value.Provider != "localhost";

    // GetGrain by string key resolves the interface type and builds a proxy on every call (about 4 % of the server's
    // CPU on the 1:1 path); references never go stale, so recent ones are kept. Cleared when full: bounded memory.
    private const int MaxCachedReferences = 100_000;
    private readonly ConcurrentDictionary<string, IUserGrain> _users = new(StringComparer.Ordinal);

    // Groups whose markers moved and whose grain has not been told since; one drain tells each once, so the acks of
    // many members that commit together cost one grain call per group, not one per member.
    private readonly ConcurrentDictionary<string, byte> _movedGroups = new(StringComparer.Ordinal);
    private int _drainQueued;

    // What waits to go to each other node. The publishes of one commit come from many continuations (one per
    // operation) at about the same time; queueing them and sending from one work item makes them one call per node,
    // not one per operation (sent one by one, they cost the nodes more CPU than going through the grains did). An
    // entry per node id the routes named, so one more per node start in the cluster's life.
    private readonly ConcurrentDictionary<string, NodeOutbound> _toNodes = new(StringComparer.Ordinal);

    /// <summary>Publishes the receipts a marker move wrote, and tells the groups concerned that aggregated receipts are due.</summary>
    public void Publish(MarkerResult result)
    {
        Publish(result.Writes);
        if (result.Groups.Count == 0) return;
        foreach (var group in result.Groups) _movedGroups.TryAdd(group, 0);
        if (Interlocked.Exchange(ref _drainQueued, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(static p => p.TellMovedGroups(), this, preferLocal: false);
    }

    private void TellMovedGroups()
    {
        // Cleared (with a full fence) before reading: a group added after this point queues another drain, so every
        // move is followed by a call.
        Interlocked.Exchange(ref _drainQueued, 0);
        foreach (var (group, _) in _movedGroups)
        {
            if (_movedGroups.TryRemove(group, out _)) Observe(grains.GetGrain<IGroupGrain>(group).MarkersMovedAsync(), group);
        }
    }

    public void Publish(IReadOnlyList<InboxWrite> writes)
    {
        // Entries of one user were written in seq order, and each connection's delivery takes them in that order.
        var pushes = _otherNodes && writes.Count > 0 ? new InboxPush[writes.Count] : null;
        // A message's entries (a group's members, both sides of a direct message) share its frame but for the seq.
        StoredMessage? framed = null;
        MessageEventFrames? frames = null;
        for (var i = 0; i < writes.Count; i++)
        {
            var (user, entry) = (writes[i].User, writes[i].Entry);
            byte[] frame;
            if (entry is { Kind: InboxEntryKind.Message, Message: { } message })
            {
                if (!ReferenceEquals(message, framed)) (framed, frames) = (message, ServerFrameWriter.MessageEvents(InboxFrames.View(message)));
                frame = frames!.For(entry.Seq);
            }
            else
            {
                frame = InboxFrames.Build(entry);
            }
            var push = Push(user, entry, frame);
            local.Push(user, push);
            if (pushes is not null) pushes[i] = push;
        }
        if (pushes is not null) Send(writes, pushes);
    }

    private static InboxPush Push(string user, InboxEntry entry, byte[] frame) =>
        new(entry.Seq, frame, entry.Kind == InboxEntryKind.Message ? entry.Message?.Ts ?? 0 : 0, InboxFrames.OwesReceipt(user, entry));

    /// <summary>To the other nodes for the users whose route is known (queued per node), one grain call per user for the rest; each user's entries in seq order.</summary>
    private void Send(IReadOnlyList<InboxWrite> writes, InboxPush[] pushes)
    {
        Dictionary<string, List<InboxPush>>? byUser = null;
        if (pushes.Length > 1)
        {
            byUser = new Dictionary<string, List<InboxPush>>(writes.Count, StringComparer.Ordinal);
            for (var i = 0; i < pushes.Length; i++)
            {
                if (!byUser.TryGetValue(writes[i].User, out var list)) byUser[writes[i].User] = list = new List<InboxPush>(1);
                list.Add(pushes[i]);
            }
        }
        var epoch = routes.Epoch;
        if (byUser is null) Route(writes[0].User, pushes, epoch);
        else
        {
            foreach (var (user, list) in byUser) Route(user, [.. list], epoch);
        }
    }

    private void Route(string user, InboxPush[] events, int epoch)
    {
        if (!routes.TryGet(user, out var nodes))
        {
            Observe(UserGrain(user).PublishAsync(events, local.Route, epoch), user);
            return;
        }
        if (nodes.Length == 0) return;
        var pushes = new UserPushes(user, events);
        foreach (var node in nodes)
        {
            var outbound = _toNodes.GetOrAdd(node.Node, static (_, n) => new NodeOutbound(n.Inbox), node);
            outbound.Pending.Enqueue(pushes);
            if (Interlocked.Exchange(ref outbound.DrainQueued, 1) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Publisher.Drain(s.Node, s.Outbound), (Publisher: this, Node: node.Node, Outbound: outbound), preferLocal: false);
            }
        }
    }

    /// <summary>Sends what waits for a node in one call.</summary>
    private void Drain(string node, NodeOutbound outbound)
    {
        // Cleared (with a full fence) before taking: pushes queued after this point queue another drain.
        Interlocked.Exchange(ref outbound.DrainQueued, 0);
        var batch = new List<UserPushes>();
        while (outbound.Pending.TryDequeue(out var pushes)) batch.Add(pushes);
        if (batch.Count == 0) return;
        try
        {
            Observe(outbound.Inbox.OnInboxAsync([.. batch]), node);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A node that cannot be called now (it died): the grains' answers will no longer name it.
            LogPublishFailed(logger, node, ex);
        }
    }

    private IUserGrain UserGrain(string user)
    {
        if (_users.TryGetValue(user, out var grain)) return grain;
        if (_users.Count >= MaxCachedReferences) _users.Clear();
        return _users[user] = grains.GetGrain<IUserGrain>(user);
    }

    private void Observe(Task task, string target)
    {
        if (!task.IsCompletedSuccessfully) _ = ObserveAsync(task, target);
    }

    private async Task ObserveAsync(Task task, string target)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, target, ex);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Notifying {Target} failed; devices catch up from the store, receipts at the next change")]
    private static partial void LogPublishFailed(ILogger logger, string target, Exception exception);

    private sealed class NodeOutbound(INodeInbox inbox)
    {
        public readonly INodeInbox Inbox = inbox;
        public readonly ConcurrentQueue<UserPushes> Pending = new();
        public int DrainQueued;
    }
}
