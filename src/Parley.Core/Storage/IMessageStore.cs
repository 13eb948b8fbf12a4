using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;

namespace Parley.Core.Storage;

/// <summary>
/// Conversations, messages, inboxes and markers. Every write is committed before its task completes;
/// writes are batched (group commit) by the implementation.
/// </summary>
public interface IMessageStore
{
    /// <summary>
    /// Queues a message for the next commit. The outer task completes once the message is queued (it waits
    /// while the writer's queue is full: that is the backpressure on readers); the inner one when it is committed.
    /// Messages queued one after another are ordered in that order.
    /// </summary>
    ValueTask<Task<AppendResult>> EnqueueAppendAsync(NewMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A device has processed its inbox up to <paramref name="seq"/> (clamped to the head). Moves the device's
    /// cursor and, when the user's delivered watermark passes new messages, the user's delivered markers,
    /// writing delivered receipts into the senders' inboxes.
    /// </summary>
    Task<IReadOnlyList<InboxWrite>> AckAsync(string user, string deviceId, long seq, CancellationToken cancellationToken);

    /// <summary>Moves the user's read marker in a conversation (and delivered with it), writing receipts.</summary>
    Task<IReadOnlyList<InboxWrite>> MarkReadAsync(string user, string conv, long upTo, CancellationToken cancellationToken);

    Task<long> GetInboxHeadAsync(string user, CancellationToken cancellationToken);

    /// <summary>Inbox entries with <paramref name="afterSeq"/> &lt; seq, ascending, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InboxEntry>> ReadInboxAsync(string user, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> messages with n &lt; <paramref name="before"/> (or all), ascending.</summary>
    Task<IReadOnlyList<StoredMessage>> GetHistoryAsync(string conv, long? before, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConversationSummary>> GetConversationsAsync(string user, CancellationToken cancellationToken);

    /// <summary>Whether the store can take writes now.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
