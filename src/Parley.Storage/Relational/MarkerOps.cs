using Parley.Core.Conversations;
using Parley.Core.Inbox;

namespace Parley.Storage.Relational;

// The hot writes that move a user's markers: every one runs under the user's delivered watermark, locked by the batch,
// so two nodes moving one user's markers at once take turns, and a receipt is written once.

/// <summary>
/// A device has processed its inbox up to a seq. The device's cursor moves; when the user's delivered watermark
/// passes new messages from others, every conversation they are in gets its delivered marker moved, and a direct
/// conversation's other participant a delivered receipt. The acks of one user in one batch are cumulative: the
/// highest does the work.
/// </summary>
internal sealed class AckOp(string user, string deviceId, long seq) : HotWriteOp<MarkerResult>
{
    private List<PendingInboxRow>? _receipts;
    private List<string>? _groups;

    public override void Declare(HotBatch batch)
    {
        if (!batch.AckTargets.TryGetValue(user, out var target) || target < seq) batch.AckTargets[user] = seq;
    }

    public override void Apply(HotBatch batch)
    {
        (_receipts, _groups) = (null, null);
        // No watermark: no such (live) account.
        if (!batch.Watermarks.TryGetValue(user, out var watermark)) return;
        var upTo = Math.Min(seq, watermark.Head);
        batch.AckDevice(deviceId, upTo);
        // The range read covers up to the batch's highest ack of this user: a lower one leaves the work to it.
        if (upTo <= watermark.Delivered || upTo < Math.Min(batch.AckTargets[user], watermark.Head)) return;

        foreach (var reached in batch.Reached.GetValueOrDefault(user) ?? [])
        {
            // No marker: the user is no longer a member (left the group).
            if (!batch.Markers.TryGetValue((reached.Conv, user), out var marker) || marker.Delivered >= reached.N) continue;
            marker.Delivered = reached.N;
            marker.Changed = true;
            if (ConversationId.TryParseDirect(reached.Conv, out var direct))
            {
                // The newest message from someone else in a direct conversation is the other participant's: a receipt is owed.
                var other = direct.OtherThan(user);
                if (other != user && reached.OtherLive)
                {
                    (_receipts ??= []).Add(batch.Inbox.Append(other, InboxEntryKind.Receipt, reached.Conv, reached.N, user, ReceiptStatus.Delivered));
                }
            }
            else
            {
                (_groups ??= []).Add(reached.Conv);
            }
        }
        watermark.Delivered = upTo;
        watermark.Changed = true;
    }

    protected override MarkerResult Result() =>
        _receipts is null && _groups is null ? MarkerResult.None
            : new MarkerResult(_receipts?.Select(r => r.ToWrite()).ToArray() ?? [], _groups ?? []);
}

/// <summary>
/// Moves the user's read marker in a conversation (delivered with it), never back and never past the last message;
/// in a direct conversation, receipts are owed when the newly covered range holds a message from the other participant.
/// </summary>
internal sealed class MarkReadOp(string user, string conv, long upTo) : HotWriteOp<MarkerResult>
{
    private ReadKey? _key;
    private List<PendingInboxRow>? _receipts;
    private bool _groupMoved;

    public override void Declare(HotBatch batch)
    {
        var other = ConversationId.TryParseDirect(conv, out var direct) ? direct.OtherThan(user) : null;
        _key = new ReadKey(user, conv, other, upTo);
        batch.Reads.Add(_key);
    }

    public override void Apply(HotBatch batch)
    {
        (_receipts, _groupMoved) = (null, false);
        if (!batch.ReadFacts.TryGetValue(_key!, out var facts) || !batch.Markers.TryGetValue((conv, user), out var marker)) return;
        var target = Math.Min(upTo, facts.LastN);
        var (oldDelivered, oldRead) = (marker.Delivered, marker.Read);
        var (newDelivered, newRead) = (Math.Max(oldDelivered, target), Math.Max(oldRead, target));
        if (newDelivered == oldDelivered && newRead == oldRead) return;
        (marker.Delivered, marker.Read, marker.Changed) = (newDelivered, newRead, true);

        if (_key!.Other is not { } other)
        {
            _groupMoved = true;
            return;
        }
        if (other == user || !facts.OtherLive) return;
        // A receipt never covers a message hidden from the reader (v1.1): past one, it stops at the other's last visible message.
        long Covered(long position) => facts.LastHidden > facts.LastFromOther ? Math.Min(position, facts.LastFromOther) : position;
        if (newDelivered > oldDelivered && facts.LastFromOther > oldDelivered)
        {
            (_receipts ??= []).Add(batch.Inbox.Append(other, InboxEntryKind.Receipt, conv, Covered(newDelivered), user, ReceiptStatus.Delivered));
        }
        if (newRead > oldRead && facts.LastFromOther > oldRead)
        {
            (_receipts ??= []).Add(batch.Inbox.Append(other, InboxEntryKind.Receipt, conv, Covered(newRead), user, ReceiptStatus.Read));
        }
    }

    protected override MarkerResult Result() =>
        _receipts is null && !_groupMoved ? MarkerResult.None
            : new MarkerResult(_receipts?.Select(r => r.ToWrite()).ToArray() ?? [], _groupMoved ? [conv] : []);
}
