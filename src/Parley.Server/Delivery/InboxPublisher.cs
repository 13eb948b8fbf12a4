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
/// cluster, to their users' grains, which push them to the connections on other nodes. A push that is lost (a grain
/// moving, a node dying) is not a lost event: the entry is in the store and the connection catches up from there.
/// </summary>
internal sealed partial class InboxPublisher(IGrainFactory grains, LocalInboxes local, IOptions<ClusterNodeOptions> cluster, ILogger<InboxPublisher> logger)
    : IInboxPublisher
{
    // One embedded node has every connection: nothing is left for the grains to push.
    private readonly bool _otherNodes = cluster.Value.Provider != "localhost";

    // GetGrain by string key resolves the interface type and builds a proxy on every call (about 4 % of the server's
    // CPU on the 1:1 path); references never go stale, so recent ones are kept. Cleared when full: bounded memory.
    private const int MaxCachedReferences = 100_000;
    private readonly ConcurrentDictionary<string, IUserGrain> _users = new(StringComparer.Ordinal);

    // Groups whose markers moved and whose grain has not been told since; one drain tells each once, so the acks of
    // many members that commit together cost one grain call per group, not one per member.
    private readonly ConcurrentDictionary<string, byte> _movedGroups = new(StringComparer.Ordinal);
    private int _drainQueued;

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
        if (pushes is null) return;
        if (pushes.Length == 1) Send(writes[0].User, pushes);
        else SendGrouped(writes, pushes);
    }

    private static InboxPush Push(string user, InboxEntry entry, byte[] frame) =>
        new(entry.Seq, frame, entry.Kind == InboxEntryKind.Message ? entry.Message?.Ts ?? 0 : 0, InboxFrames.OwesReceipt(user, entry));

    /// <summary>One grain call per user, with that user's entries in seq order.</summary>
    private void SendGrouped(IReadOnlyList<InboxWrite> writes, InboxPush[] pushes)
    {
        var byUser = new Dictionary<string, List<InboxPush>>(writes.Count, StringComparer.Ordinal);
        for (var i = 0; i < pushes.Length; i++)
        {
            if (!byUser.TryGetValue(writes[i].User, out var list)) byUser[writes[i].User] = list = new List<InboxPush>(1);
            list.Add(pushes[i]);
        }
        foreach (var (user, list) in byUser) Send(user, [.. list]);
    }

    private void Send(string user, InboxPush[] pushes)
    {
        Observe(UserGrain(user).PublishAsync(pushes, local.Node), user);
    }

    private IUserGrain UserGrain(string user)
    {
        if (_users.TryGetValue(user, out var grain)) return grain;
        if (_users.Count >= MaxCachedReferences) _users.Clear();
        return _users[user] = grains.GetGrain<IUserGrain>(user);
    }

    private void Observe(Task task, string grain)
    {
        if (!task.IsCompletedSuccessfully) _ = ObserveAsync(task, grain);
    }

    private async Task ObserveAsync(Task task, string grain)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, grain, ex);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Notifying {Grain} failed; devices catch up from the store, receipts at the next change")]
    private static partial void LogPublishFailed(ILogger logger, string grain, Exception exception);
}
