using System.Collections.Concurrent;
using Parley.Core.Inbox;
using Parley.Grains.Groups;
using Parley.Grains.Users;

namespace Parley.Server.Delivery;

/// <summary>
/// After a commit: hands the inbox entries just written to their users' grains, which push them to
/// every live connection. A push that is lost (a grain moving, a node dying) is not a lost event:
/// the entry is in the store and the connection catches up from there.
/// </summary>
internal sealed partial class InboxPublisher(IGrainFactory grains, ILogger<InboxPublisher> logger) : IInboxPublisher
{
    // GetGrain by string key resolves the interface type and builds a proxy on every call (about 4 % of the server's
    // CPU on the 1:1 path); references never go stale, so recent ones are kept. Cleared when full: bounded memory.
    private const int MaxCachedReferences = 100_000;
    private readonly ConcurrentDictionary<string, IUserGrain> _users = new(StringComparer.Ordinal);

    /// <summary>Publishes the receipts a marker move wrote, and tells the groups concerned that aggregated receipts are due.</summary>
    public void Publish(MarkerResult result)
    {
        Publish(result.Writes);
        foreach (var group in result.Groups) Observe(grains.GetGrain<IGroupGrain>(group).MarkersMovedAsync(), group);
    }

    public void Publish(IReadOnlyList<InboxWrite> writes)
    {
        if (writes.Count == 0) return;
        if (writes.Count == 1)
        {
            Send(writes[0].User, [Push(writes[0].Entry)]);
            return;
        }
        // Entries of one user were written in seq order; keep that order in one push per user.
        foreach (var group in writes.GroupBy(w => w.User, StringComparer.Ordinal))
        {
            Send(group.Key, group.Select(w => Push(w.Entry)).ToArray());
        }
    }

    private static InboxPush Push(InboxEntry entry) =>
        new(entry.Seq, InboxFrames.Build(entry), entry.Kind == InboxEntryKind.Message ? entry.Message?.Ts ?? 0 : 0);

    private void Send(string user, InboxPush[] pushes)
    {
        Observe(UserGrain(user).PublishAsync(pushes), user);
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
