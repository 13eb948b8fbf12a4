using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Protocol.Frames;

/// <summary>
/// Writes the frames the server sends, each as one UTF-8 JSON text ready for the socket.
/// Message bodies are written raw: the bytes the sender gave, unchanged.
/// </summary>
public static class ServerFrameWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>
    /// The protocol version <c>welcome</c> announces: "1.1", every v1.1 addition being served (replies, reactions, edits,
    /// blocking, invite links, resumable uploads).
    /// </summary>
    public const string ProtocolVersion = "1.1";

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The <c>welcome</c> frame; <paramref name="editWindowSeconds"/> is how long a sender may edit a message (v1.1, whole
    /// seconds), <paramref name="maxGroupDescriptionChars"/> is the longest group description (issue 20), <paramref name="media"/>
    /// lists the upload types accepted, each with its size limit.
    /// </summary>
    public static byte[] Welcome(string user, string device, long head, long serverTime, int maxFrameBytes, int maxBodyBytes, int maxGroupMembers,
        int maxGroupDescriptionChars, long editWindowSeconds, IReadOnlyList<MediaTypeLimit> media) =>
        Write((user, device, head, serverTime, maxFrameBytes, maxBodyBytes, maxGroupMembers, maxGroupDescriptionChars, editWindowSeconds, media), static (w, s) =>
        {
            w.WriteString("type"u8, FrameTypes.Welcome);
            w.WriteString("protocol"u8, ProtocolVersion);
            w.WriteString("user"u8, s.user);
            w.WriteString("device"u8, s.device);
            w.WriteNumber("head"u8, s.head);
            w.WriteNumber("serverTime"u8, s.serverTime);
            w.WriteStartObject("limits"u8);
            w.WriteNumber("maxFrameBytes"u8, s.maxFrameBytes);
            w.WriteNumber("maxBodyBytes"u8, s.maxBodyBytes);
            w.WriteNumber("maxGroupMembers"u8, s.maxGroupMembers);
            w.WriteNumber("maxGroupDescriptionChars"u8, s.maxGroupDescriptionChars);
            w.WriteNumber("editWindowSeconds"u8, s.editWindowSeconds);
            w.WriteStartArray("media"u8);
            foreach (var type in s.media)
            {
                w.WriteStartObject();
                w.WriteString("mime"u8, type.Mime);
                w.WriteNumber("maxBytes"u8, type.MaxBytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>An <c>error</c> frame.</summary>
    public static byte[] Error(string? rid, string code, string message, long? retryAfterMs = null) =>
        Write((rid, code, message, retryAfterMs), static (w, s) =>
        {
            w.WriteString("type"u8, FrameTypes.Error);
            if (s.rid is not null) w.WriteString("rid"u8, s.rid);
            w.WriteString("code"u8, s.code);
            w.WriteString("message"u8, s.message);
            if (s.retryAfterMs is { } retry) w.WriteNumber("retryAfterMs"u8, retry);
        });

    /// <summary>An <c>ok</c> frame with no result fields.</summary>
    public static byte[] Ok(string? rid) => Write(rid, static (w, rid) => WriteOkHead(w, rid));

    /// <summary>The <c>ok</c> reply to <c>ping</c>.</summary>
    public static byte[] Pong(string? rid, long ts) => Write((rid, ts), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteNumber("ts"u8, s.ts);
    });

    /// <summary>The <c>ok</c> reply to <c>send</c>.</summary>
    public static byte[] SendOk(string? rid, SendResultView r) => Write((rid, r), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteString("id"u8, s.r.Id);
        w.WriteNumber("n"u8, s.r.N);
        w.WriteString("conv"u8, s.r.Conv);
        w.WriteNumber("seq"u8, s.r.Seq);
        w.WriteNumber("ts"u8, s.r.Ts);
        if (s.r.ExpiresAt is { } expiresAt) w.WriteNumber("expiresAt"u8, expiresAt);
        if (s.r.Duplicate) w.WriteBoolean("duplicate"u8, true);
        if (s.r.ReplyTo is { } replyTo) w.WriteNumber("replyTo"u8, replyTo);
    });

    /// <summary>The <c>ok</c> reply to <c>history</c>.</summary>
    public static byte[] History(string? rid, IReadOnlyList<MessageView> messages, IReadOnlyList<NoteView>? notes = null) =>
        Write((rid, messages, notes), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteStartArray("messages"u8);
        foreach (var m in s.messages)
        {
            w.WriteStartObject();
            WriteMessageFields(w, m);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("notes"u8);
        foreach (var note in s.notes ?? [])
        {
            w.WriteStartObject();
            w.WriteNumber("afterN"u8, note.AfterN);
            w.WriteNumber("ts"u8, note.Ts);
            w.WriteString("type"u8, note.Type);
            w.WriteString("by"u8, note.By);
            WriteObjectFields(w, note.Fields);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>The <c>ok</c> reply to <c>convs</c>.</summary>
    public static byte[] Convs(string? rid, IReadOnlyList<ConversationView> conversations) => Write((rid, conversations), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteStartArray("conversations"u8);
        foreach (var c in s.conversations)
        {
            w.WriteStartObject();
            w.WriteString("conv"u8, c.Conv);
            w.WriteString("kind"u8, c.Kind);
            if (c.Name is not null) w.WriteString("name"u8, c.Name);
            if (c.Description is not null) w.WriteString("description"u8, c.Description);
            w.WriteNumber("lastN"u8, c.LastN);
            w.WriteNumber("readUpTo"u8, c.ReadUpTo);
            w.WriteNumber("unread"u8, c.Unread);
            if (c.Retention is { } ttl) w.WriteNumber("retention"u8, ttl);
            else w.WriteNull("retention"u8);
            WriteNames(w, "members"u8, c.Members);
            w.WriteNumber("peerDelivered"u8, c.PeerDelivered);
            w.WriteNumber("peerRead"u8, c.PeerRead);
            if (c.Left) w.WriteBoolean("left"u8, true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>The inbox <c>message</c> event.</summary>
    public static byte[] MessageEvent(long seq, MessageView m) => Write((seq, m), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Message);
        w.WriteNumber("seq"u8, s.seq);
        WriteMessageFields(w, s.m);
    });

    /// <summary>
    /// The <c>message</c> event of one message for many inboxes (a group's fan-out): the frame is written once, and each
    /// member's copy is that frame with its own <c>seq</c> put in. Each copy is byte for byte what
    /// <see cref="MessageEvent"/> writes for that seq.
    /// </summary>
    public static MessageEventFrames MessageEvents(MessageView m) => new(MessageEvent(0, m));

    /// <summary>The inbox <c>reaction</c> event (v1.1): <paramref name="by"/> reacted to message n, or took the reaction back (null).</summary>
    public static byte[] ReactionEvent(long seq, string conv, long n, string by, string? emoji) => Write((seq, conv, n, by, emoji), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Reaction);
        w.WriteNumber("seq"u8, s.seq);
        w.WriteString("conv"u8, s.conv);
        w.WriteNumber("n"u8, s.n);
        w.WriteString("by"u8, s.by);
        if (s.emoji is null) w.WriteNull("emoji"u8);
        else w.WriteString("emoji"u8, s.emoji);
    });

    /// <summary>The inbox <c>edited</c> event (v1.1): message n has a new body, written raw as the sender gave it.</summary>
    public static byte[] EditedEvent(long seq, string conv, long n, ReadOnlyMemory<byte> body, long editedAt) =>
        Write((seq, conv, n, body, editedAt), static (w, s) =>
        {
            w.WriteString("type"u8, FrameTypes.Edited);
            w.WriteNumber("seq"u8, s.seq);
            w.WriteString("conv"u8, s.conv);
            w.WriteNumber("n"u8, s.n);
            w.WritePropertyName("body"u8);
            w.WriteRawValue(s.body.Span, skipInputValidation: true);
            w.WriteNumber("editedAt"u8, s.editedAt);
        });

    /// <summary>The <c>ok</c> reply to <c>edit</c> (v1.1).</summary>
    public static byte[] EditOk(string? rid, long editedAt) => Write((rid, editedAt), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteNumber("editedAt"u8, s.editedAt);
    });

    /// <summary>The <c>ok</c> reply to <c>blocked</c> (v1.1): the users the caller blocks.</summary>
    public static byte[] BlockedOk(string? rid, IReadOnlyList<string> users) => Write((rid, users), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        WriteNames(w, "users"u8, s.users);
    });

    /// <summary>The <c>ok</c> reply to <c>group.invite</c> (v1.1): the group's live invite code.</summary>
    public static byte[] InviteOk(string? rid, string code) => Write((rid, code), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteString("code"u8, s.code);
    });

    /// <summary>The inbox <c>receipt</c> event.</summary>
    public static byte[] ReceiptEvent(long seq, string conv, string by, string status, long upTo) =>
        Write((seq, conv, by, status, upTo), static (w, s) =>
        {
            w.WriteString("type"u8, FrameTypes.Receipt);
            w.WriteNumber("seq"u8, s.seq);
            w.WriteString("conv"u8, s.conv);
            w.WriteString("by"u8, s.by);
            w.WriteString("status"u8, s.status);
            w.WriteNumber("upTo"u8, s.upTo);
        });

    /// <summary>The inbox <c>settings</c> event: the conversation's retention changed (null: permanent).</summary>
    public static byte[] SettingsEvent(long seq, string conv, long? retention) => Write((seq, conv, retention), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Settings);
        w.WriteNumber("seq"u8, s.seq);
        w.WriteString("conv"u8, s.conv);
        WriteRetention(w, s.retention);
    });

    /// <summary>The inbox <c>deleted</c> event: message n was deleted for everyone.</summary>
    public static byte[] DeletedEvent(long seq, string conv, long n) => Write((seq, conv, n), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Deleted);
        w.WriteNumber("seq"u8, s.seq);
        w.WriteString("conv"u8, s.conv);
        w.WriteNumber("n"u8, s.n);
    });

    /// <summary>The inbox <c>failed</c> event; <paramref name="fields"/> is a JSON object of its other fields (cid, id, to, reason).</summary>
    public static byte[] FailedEvent(long seq, string conv, string fields) => Write((seq, conv, fields), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Failed);
        w.WriteNumber("seq"u8, s.seq);
        w.WriteString("conv"u8, s.conv);
        WriteObjectFields(w, s.fields);
    });

    /// <summary>Writes the properties of a stored JSON object (an event's own fields) into the object being written.</summary>
    private static void WriteObjectFields(Utf8JsonWriter w, string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var property in doc.RootElement.EnumerateObject()) property.WriteTo(w);
    }

    /// <summary>The <c>ok</c> reply to <c>retention</c>.</summary>
    public static byte[] RetentionOk(string? rid, long? retention) => Write((rid, retention), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        WriteRetention(w, s.retention);
    });

    private static void WriteRetention(Utf8JsonWriter w, long? retention)
    {
        if (retention is { } ttl) w.WriteNumber("retention"u8, ttl);
        else w.WriteNull("retention"u8);
    }

    /// <summary>
    /// The inbox <c>group</c> event; <paramref name="fields"/> is a JSON object of its other fields (event, members, name, member, admin,
    /// description).
    /// </summary>
    public static byte[] GroupEvent(long seq, string conv, string by, string fields) => Write((seq, conv, by, fields), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Group);
        w.WriteNumber("seq"u8, s.seq);
        w.WriteString("conv"u8, s.conv);
        w.WriteString("by"u8, s.by);
        WriteObjectFields(w, s.fields);
    });

    /// <summary>
    /// An <c>ok</c> reply carrying a group's fields: <c>conv</c>, <c>name</c>, <c>description</c>, <c>members</c>, <c>admins</c>,
    /// <c>retention</c> as asked.
    /// </summary>
    public static byte[] GroupOk(string? rid, GroupView group, GroupFields fields) => Write((rid, group, fields), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        if (s.fields.HasFlag(GroupFields.Conv)) w.WriteString("conv"u8, s.group.Conv);
        if (s.fields.HasFlag(GroupFields.Name)) w.WriteString("name"u8, s.group.Name);
        if (s.fields.HasFlag(GroupFields.Description)) w.WriteString("description"u8, s.group.Description);
        if (s.fields.HasFlag(GroupFields.Members)) WriteNames(w, "members"u8, s.group.Members);
        if (s.fields.HasFlag(GroupFields.Admins)) WriteNames(w, "admins"u8, s.group.Admins);
        if (s.fields.HasFlag(GroupFields.Retention))
        {
            if (s.group.Retention is { } ttl) w.WriteNumber("retention"u8, ttl);
            else w.WriteNull("retention"u8);
        }
    });

    /// <summary>The <c>ok</c> reply to <c>receipts</c>.</summary>
    public static byte[] Receipts(string? rid, IReadOnlyList<string> delivered, IReadOnlyList<string> read) => Write((rid, delivered, read), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        WriteNames(w, "delivered"u8, s.delivered);
        WriteNames(w, "read"u8, s.read);
    });

    /// <summary>The <c>ok</c> reply to <c>presence.subscribe</c>: each user as the caller may see them.</summary>
    public static byte[] PresenceOk(string? rid, IReadOnlyList<PresenceView> presence) => Write((rid, presence), static (w, s) =>
    {
        WriteOkHead(w, s.rid);
        w.WriteStartArray("presence"u8);
        foreach (var p in s.presence)
        {
            w.WriteStartObject();
            WritePresenceFields(w, p);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>The <c>presence</c> event: a subscribed user went online or offline (not an inbox event: no seq).</summary>
    public static byte[] PresenceEvent(PresenceView presence) => Write(presence, static (w, p) =>
    {
        w.WriteString("type"u8, FrameTypes.Presence);
        WritePresenceFields(w, p);
    });

    /// <summary>The <c>typing</c> event relayed to a conversation's online members (not an inbox event: no seq).</summary>
    public static byte[] TypingEvent(string conv, string user, string state) => Write((conv, user, state), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Typing);
        w.WriteString("conv"u8, s.conv);
        w.WriteString("user"u8, s.user);
        w.WriteString("state"u8, s.state);
    });

    private static void WritePresenceFields(Utf8JsonWriter w, PresenceView p)
    {
        w.WriteString("user"u8, p.User);
        w.WriteBoolean("online"u8, p.Online);
        if (p.LastSeen is { } lastSeen) w.WriteNumber("lastSeen"u8, lastSeen);
        else w.WriteNull("lastSeen"u8);
    }

    private static void WriteNames(Utf8JsonWriter w, ReadOnlySpan<byte> property, IReadOnlyList<string> names)
    {
        w.WriteStartArray(property);
        foreach (var name in names) w.WriteStringValue(name);
        w.WriteEndArray();
    }

    private static void WriteOkHead(Utf8JsonWriter w, string? rid)
    {
        w.WriteString("type"u8, FrameTypes.Ok);
        if (rid is not null) w.WriteString("rid"u8, rid);
    }

    private static void WriteMessageFields(Utf8JsonWriter w, MessageView m)
    {
        w.WriteString("id"u8, m.Id);
        w.WriteNumber("n"u8, m.N);
        w.WriteString("conv"u8, m.Conv);
        w.WriteString("from"u8, m.From);
        w.WriteString("cid"u8, m.Cid);
        w.WriteString("kind"u8, m.Kind);
        w.WritePropertyName("body"u8);
        // The body was validated as one JSON value when it arrived; it is written back untouched.
        w.WriteRawValue(m.Body.Span, skipInputValidation: true);
        if (m.Media is { } media) WriteMedia(w, media);
        w.WriteNumber("ts"u8, m.Ts);
        if (m.ExpiresAt is { } expiresAt) w.WriteNumber("expiresAt"u8, expiresAt);
        if (m.ReplyTo is { } replyTo) w.WriteNumber("replyTo"u8, replyTo);
        if (m.EditedAt is { } editedAt) w.WriteNumber("editedAt"u8, editedAt);
        if (m.Reactions is { Count: > 0 } reactions)
        {
            w.WriteStartArray("reactions"u8);
            foreach (var reaction in reactions)
            {
                w.WriteStartObject();
                w.WriteString("by"u8, reaction.By);
                w.WriteString("emoji"u8, reaction.Emoji);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }

    private static void WriteMedia(Utf8JsonWriter w, MediaView media)
    {
        w.WriteStartObject("media"u8);
        w.WriteString("id"u8, media.Id);
        w.WriteString("mime"u8, media.Mime);
        w.WriteNumber("size"u8, media.Size);
        if (media.Width is { } width) w.WriteNumber("width"u8, width);
        if (media.Height is { } height) w.WriteNumber("height"u8, height);
        if (media.DurationMs is { } durationMs) w.WriteNumber("durationMs"u8, durationMs);
        w.WriteBoolean("thumbnail"u8, media.Thumbnail);
        w.WriteEndObject();
    }

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        writer.WriteStartObject();
        body(writer, state);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
