using Parley.Core.Inbox;
using Parley.Core.Media;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

/// <summary>
/// A send: dedupe by (sender, cid), the checks, the next n of the conversation, the message row and one inbox row for
/// every participant (every current member of a group). The checks read only what <see cref="Declare"/> asked for.
/// </summary>
internal sealed class AppendMessageOp(NewMessage message) : HotWriteOp<AppendResult>
{
    private AppendResult? _refused;
    private StoredMessage? _duplicateOf;
    private PendingMessage? _duplicateInBatch;
    private PendingMessage? _stored;
    private List<PendingInboxRow>? _rows;

    public override void Declare(HotBatch batch)
    {
        batch.SenderCids.Add((message.Sender, message.Cid));
        if (message.Participants is null)
        {
            batch.GroupConversations.Add(message.Conv);
        }
        else
        {
            batch.Accounts.Add(message.Sender);
            var recipient = message.Sender;
            foreach (var participant in message.Participants)
            {
                batch.Accounts.Add(participant);
                if (participant != message.Sender) recipient = participant;
            }
            batch.DirectConversations.TryAdd(message.Conv, (recipient, message.Ts));
            if (recipient != message.Sender) batch.BlockChecks.Add((recipient, message.Sender));
        }
        if (message.MediaId is { } mediaId) batch.MediaUses.TryAdd((mediaId, message.Sender), message.Ts);
        if (message.ReplyTo is { } replyTo) batch.ReplyTargets.TryAdd(new ReplyTarget(message.Conv, replyTo, message.Sender), message.Ts);
    }

    public override void Apply(HotBatch batch)
    {
        (_refused, _duplicateOf, _duplicateInBatch, _stored, _rows) = (null, null, null, null, null);
        var key = (message.Sender, message.Cid);
        if (batch.Existing.TryGetValue(key, out var existing))
        {
            _duplicateOf = existing;
            return;
        }
        if (batch.StoredInBatch.TryGetValue(key, out var first))
        {
            _duplicateInBatch = first;
            return;
        }

        var refusal = message.Participants is null ? CheckGroup(batch) : CheckDirect(batch, message.Participants);
        if (refusal is { } status)
        {
            _refused = new AppendResult(status, null, []);
            return;
        }
        if (message.ReplyTo is { } replyTo && !ReplyTargetFound(batch, replyTo))
        {
            _refused = new AppendResult(AppendStatus.ReplyTargetNotFound, null, []);
            return;
        }
        MediaInfo? media = null;
        if (message.MediaId is { } mediaId)
        {
            // Checked after every other check, so a refused send leaves the media as it was.
            if (batch.Media.GetValueOrDefault((mediaId, message.Sender)) is not { } visible)
            {
                _refused = new AppendResult(AppendStatus.MediaNotFound, null, []);
                return;
            }
            media = visible;
            batch.MediaUsed[mediaId] = message.Ts;
        }

        var conversation = batch.Conversations[message.Conv];
        var n = ++conversation.LastN;
        conversation.LastTs = Math.Max(conversation.LastTs, message.Ts);
        conversation.Changed = true;
        // The first message of a direct conversation adds its members. Its row may exist before without them (a block
        // creates it: BlockOrder); one that holds a message has them. Where n are offsets (PostgreSQL), the first of the
        // batch in a row read with no message: if another node's first message took n 1 meanwhile, the insert changes nothing.
        if (n == 1 && (!conversation.NumberedAtFlush || conversation.ReadLastN == 0) && message.Participants is { } participants)
        {
            foreach (var participant in participants) batch.NewMembers.Add((message.Conv, participant, message.Ts));
        }

        // A message's own ttl only shortens the conversation's retention (as it is now: it applies to messages sent after it was set).
        long? ttl = (conversation.RetentionSeconds, message.TtlSeconds) switch
        {
            (null, var own) => own,
            (var conv, null) => conv,
            (var conv, var own) => Math.Min(conv.Value, own.Value),
        };
        long? expiresAt = ttl is null ? null : message.Ts + ttl.Value * 1000;
        // A direct message to someone who blocks the sender is stored (the sender's devices sync it) but hidden from them for good.
        var hiddenFrom = message.Participants is { } those && those.FirstOrDefault(p => p != message.Sender) is { } other
            && batch.Blocks.Contains((other, message.Sender)) ? other : null;
        var stored = new PendingMessage(new StoredMessage(message.Id, message.Conv, n, message.Sender, message.Cid, message.Kind, message.Body,
            message.Ts, expiresAt, 0, media, message.ReplyTo), conversation) { HiddenFrom = hiddenFrom };

        // The sender's entry first in a direct conversation; a group's members in username order.
        var recipients = message.Participants is { } direct ? SenderFirst(direct) : batch.GroupMembers[message.Conv];
        _rows = new List<PendingInboxRow>(recipients.Count);
        foreach (var user in recipients)
        {
            if (user == hiddenFrom) continue;
            var row = batch.Inbox.Append(user, InboxEntryKind.Message, message.Conv, n, message.Sender, null, null, stored);
            if (user == message.Sender) stored.SenderRow = row;
            else if (message.Participants is not null) stored.RecipientRow = row;
            _rows.Add(row);
        }
        batch.Messages.Add(stored);
        batch.StoredInBatch[key] = stored;
        _stored = stored;
    }

    private List<string> SenderFirst(IReadOnlyList<string> participants)
    {
        var list = new List<string>(participants.Count) { message.Sender };
        foreach (var participant in participants)
        {
            if (participant != message.Sender) list.Add(participant);
        }
        return list;
    }

    /// <summary>
    /// Whether the sender sees message <paramref name="n"/> of the conversation: read by the prefetch, or numbered earlier in
    /// this batch (the sender, a participant or current member, sees what is sent now). Where the batch's n are offsets
    /// until the flush, such a message is the one whose offset + the last n the prefetch read is <paramref name="n"/>, and
    /// the flush then requires that base (another node numbering in between makes the batch stale: it is retried).
    /// </summary>
    private bool ReplyTargetFound(HotBatch batch, long n)
    {
        if (batch.ReplyTargetsFound.Contains(new ReplyTarget(message.Conv, n, message.Sender))) return true;
        foreach (var pending in batch.Messages)
        {
            if (pending.Row.Conv != message.Conv) continue;
            var conversation = pending.Conversation;
            if (!conversation.NumberedAtFlush)
            {
                if (pending.Row.N == n) return true;
            }
            else if (pending.Row.N + conversation.ReadLastN == n)
            {
                conversation.RequiredBase = conversation.ReadLastN;
                return true;
            }
        }
        return false;
    }

    private AppendStatus? CheckGroup(HotBatch batch)
    {
        if (!batch.Conversations.TryGetValue(message.Conv, out var conversation) || !conversation.IsGroup) return AppendStatus.ConversationNotFound;
        return batch.GroupMembers.TryGetValue(message.Conv, out var members) && members.BinarySearch(message.Sender, StringComparer.Ordinal) >= 0
            ? null : AppendStatus.NotMember;
    }

    private AppendStatus? CheckDirect(HotBatch batch, IReadOnlyList<string> participants)
    {
        foreach (var participant in participants)
        {
            if (!batch.Live.Contains(participant)) return AppendStatus.ParticipantNotFound;
        }
        // A group id never comes with participants; a direct conversation row exists once its recipient is live.
        return batch.Conversations.TryGetValue(message.Conv, out var conversation) && !conversation.IsGroup ? null : AppendStatus.ParticipantNotFound;
    }

    protected override AppendResult Result()
    {
        if (_duplicateOf is not null) return new AppendResult(AppendStatus.Duplicate, _duplicateOf, []);
        if (_duplicateInBatch is not null) return new AppendResult(AppendStatus.Duplicate, _duplicateInBatch.Stored, []);
        if (_refused is not null) return _refused;
        return new AppendResult(AppendStatus.Stored, _stored!.Stored, _rows!.Select(r => r.ToWrite()).ToArray());
    }
}
