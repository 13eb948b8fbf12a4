using Parley.Core.Inbox;
using Parley.Grains.Users;

namespace Parley.Server.Delivery;

/// <summary>
/// After a commit: hands the inbox entries just written to their users' grains, which push them to
/// every live connection. A push that is lost (a grain moving, a node dying) is not a lost event:
/// the entry is in the store and the connection catches up from there.
/// </summary>
internal sealed partial class InboxPublisher(IGrainFactory grains, ILogger<InboxPublisher> logger)
{
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

    private static InboxPush Push(InboxEntry entry) => new(entry.Seq, InboxFrames.Build(entry));

    private void Send(string user, InboxPush[] pushes)
    {
        var task = grains.GetGrain<IUserGrain>(user).PublishAsync(pushes);
        if (!task.IsCompletedSuccessfully) _ = ObserveAsync(task, user);
    }

    private async Task ObserveAsync(Task task, string user)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, user, ex);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Pushing inbox events to {User} failed; their devices catch up from the store")]
    private static partial void LogPublishFailed(ILogger logger, string user, Exception exception);
}
