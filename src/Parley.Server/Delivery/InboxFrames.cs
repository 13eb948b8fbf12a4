using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Delivery;

/// <summary>Inbox entries as protocol frames: the one place that maps stored events to the wire.</summary>
internal static class InboxFrames
{
    public static byte[] Build(InboxEntry entry) => entry.Kind switch
    {
        InboxEntryKind.Message when entry.Message is { } m => ServerFrameWriter.MessageEvent(entry.Seq, View(m)),
        InboxEntryKind.Receipt => ServerFrameWriter.ReceiptEvent(entry.Seq, entry.Conv, entry.Actor,
            entry.Status == ReceiptStatus.Read ? "read" : "delivered", entry.N),
        InboxEntryKind.Group => ServerFrameWriter.GroupEvent(entry.Seq, entry.Conv, entry.Actor, entry.Data ?? "{}"),
        InboxEntryKind.Settings => ServerFrameWriter.SettingsEvent(entry.Seq, entry.Conv, entry.N < 0 ? null : entry.N),
        InboxEntryKind.Deleted => ServerFrameWriter.DeletedEvent(entry.Seq, entry.Conv, entry.N),
        InboxEntryKind.Failed => ServerFrameWriter.FailedEvent(entry.Seq, entry.Conv, entry.Data ?? "{}"),
        InboxEntryKind.Reaction => ServerFrameWriter.ReactionEvent(entry.Seq, entry.Conv, entry.N, entry.Actor, entry.Data),
        InboxEntryKind.Edited => EditedFrame(entry),
        _ => throw new InvalidOperationException($"inbox entry {entry.Seq} of kind {entry.Kind} has no frame"),
    };

    /// <summary>
    /// Whether <paramref name="user"/>'s ack of the entry owes someone a delivered receipt: a direct message from the other
    /// participant. Acks of anything else (group messages, the user's own, receipts, events) may wait (<see cref="AckForwarder"/>).
    /// </summary>
    public static bool OwesReceipt(string user, InboxEntry entry) =>
        entry.Kind == InboxEntryKind.Message && entry.Message is { } m && m.Sender != user && !ConversationId.IsGroupId(entry.Conv);

    /// <summary>False for a message or edited event whose message is gone (expired or deleted): nothing to send.</summary>
    public static bool HasFrame(InboxEntry entry) => entry.Kind switch
    {
        InboxEntryKind.Message => entry.Message is not null,
        InboxEntryKind.Edited => entry.Data is not null,
        _ => true,
    };

    private static byte[] EditedFrame(InboxEntry entry)
    {
        var (editedAt, body) = EditedData.Parse(entry.Data!);
        return ServerFrameWriter.EditedEvent(entry.Seq, entry.Conv, entry.N, body, editedAt);
    }

    public static NoteView View(ConversationNote note) =>
        new(note.AfterN, note.Ts, note.Kind == InboxEntryKind.Settings ? FrameTypes.Settings : FrameTypes.Group, note.By, note.Fields);

    public static MessageView View(StoredMessage m) => new(m.Id, m.N, m.Conv, m.Sender, m.Cid, m.Kind, m.Body, m.Ts, m.ExpiresAt,
        m.Media is { } media ? new MediaView(media.Id, media.Mime, media.Size, media.Width, media.Height, media.DurationMs, media.Thumbnail) : null,
        m.ReplyTo, m.Reactions?.Select(r => new ReactionView(r.By, r.Emoji)).ToArray(), m.EditedAt);
}
