using System.Text;
using System.Text.Json;

namespace Parley.Protocol.Client;

/// <summary>
/// Reads the frames a server sends into the closed set of <see cref="ServerFrame"/> records, in one pass
/// with <see cref="Utf8JsonReader"/>. A message <c>body</c> is never parsed into objects: its exact JSON
/// text is sliced out of the frame, so that it reaches the application byte for byte.
/// </summary>
public static class ServerFrameReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Reads one frame's UTF-8 JSON text.</summary>
    /// <param name="utf8">The whole text frame. <see cref="OkFrame"/> and <see cref="UnknownFrame"/> keep a reference to it: do not reuse the buffer.</param>
    /// <returns>The typed frame; <see cref="UnknownFrame"/> for a type this library does not know.</returns>
    /// <exception cref="JsonException">The frame is not a JSON object, or a known frame lacks a field or has one of the wrong type.</exception>
    public static ServerFrame Read(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        var reader = new Utf8JsonReader(span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a frame must be one JSON object");
        var f = new Fields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName) ReadProperty(ref reader, span, ref f);
        if (reader.Read()) throw new JsonException("unexpected data after the JSON object");
        var type = f.Type ?? throw f.Problem("type");
        return type switch
        {
            FrameTypes.Ok => new OkFrame(f.Optional(f.Rid, "rid"), utf8),
            FrameTypes.Error => new ErrorFrame(f.Optional(f.Rid, "rid"), f.Required(f.Code, "code"), f.Message ?? "", f.Optional(f.RetryAfterMs, "retryAfterMs")),
            FrameTypes.Welcome => new WelcomeFrame(
                f.Required(f.User, "user"), f.Required(f.Device, "device"), f.Required(f.Head, "head"), f.ServerTime ?? 0,
                f.Limits ?? new ServerLimits(0, 0, 0)),
            FrameTypes.Message => new MessageEvent(
                f.Required(f.Seq, "seq"), f.Required(f.Id, "id"), f.Required(f.N, "n"), f.Required(f.Conv, "conv"),
                f.Required(f.From, "from"), f.Cid ?? "", f.Kind ?? MessageKinds.Text, f.Required(f.Body, "body"),
                f.Optional(f.Media, "media"), f.Required(f.Ts, "ts"), f.Optional(f.ExpiresAt, "expiresAt"),
                f.Optional(f.ReplyTo, "replyTo"), f.Optional(f.EditedAt, "editedAt")),
            FrameTypes.Reaction => new ReactionEvent(
                f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Required(f.N, "n"), f.Required(f.By, "by"), f.Optional(f.Emoji, "emoji")),
            FrameTypes.Edited => new EditedEvent(
                f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Required(f.N, "n"), f.Required(f.Body, "body"),
                f.Required(f.EditedAt, "editedAt")),
            FrameTypes.Receipt => new ReceiptEvent(
                f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Required(f.By, "by"), f.Required(f.Status, "status"),
                f.Required(f.UpTo, "upTo")),
            FrameTypes.Group => new GroupEvent(
                f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Required(f.Event, "event"), f.By ?? "",
                f.Optional(f.Members, "members"), f.Optional(f.Name, "name"), f.Optional(f.Member, "member"), f.Optional(f.Admin, "admin"))
            {
                Description = f.Optional(f.Description, "description"),
            },
            FrameTypes.Settings => new SettingsEvent(f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Optional(f.Retention, "retention")),
            FrameTypes.Failed => new FailedEvent(
                f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Cid ?? "", f.Id ?? "", f.Required(f.To, "to"),
                f.Required(f.Reason, "reason")),
            FrameTypes.Deleted => new DeletedEvent(f.Required(f.Seq, "seq"), f.Required(f.Conv, "conv"), f.Required(f.N, "n")),
            FrameTypes.Presence => new PresenceEvent(f.Required(f.User, "user"), f.Required(f.Online, "online"), f.Optional(f.LastSeen, "lastSeen")),
            FrameTypes.Typing => new TypingEvent(f.Required(f.Conv, "conv"), f.Required(f.User, "user"), f.Required(f.State, "state")),
            _ => new UnknownFrame(type, f.Seq, utf8),
        };
    }

    /// <summary>Reads the <c>messages</c> of a <c>history</c> reply, bodies byte for byte.</summary>
    internal static IReadOnlyList<HistoryMessage> ReadHistory(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a frame must be one JSON object");
        var messages = new List<HistoryMessage>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("field 'messages' must be an array");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("each message must be an object");
                var f = new Fields();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName) ReadProperty(ref reader, utf8, ref f);
                messages.Add(new HistoryMessage(
                    f.Required(f.Id, "id"), f.Required(f.N, "n"), f.Required(f.Conv, "conv"), f.Required(f.From, "from"),
                    f.Cid ?? "", f.Kind ?? MessageKinds.Text, f.Body ?? "null", f.Optional(f.Media, "media"), f.Required(f.Ts, "ts"),
                    f.Optional(f.ExpiresAt, "expiresAt"), f.Optional(f.ReplyTo, "replyTo"), f.Optional(f.EditedAt, "editedAt"))
                {
                    Reactions = f.Optional(f.Reactions, "reactions") ?? [],
                });
            }
        }
        return messages;
    }

    private static void ReadProperty(ref Utf8JsonReader r, ReadOnlySpan<byte> utf8, ref Fields f)
    {
        if (r.ValueTextEquals("type"u8)) f.Type = ReadString(ref r, ref f, "type");
        else if (r.ValueTextEquals("rid"u8)) f.Rid = ReadString(ref r, ref f, "rid");
        else if (r.ValueTextEquals("seq"u8)) f.Seq = ReadInt64(ref r, ref f, "seq");
        else if (r.ValueTextEquals("conv"u8)) f.Conv = ReadString(ref r, ref f, "conv");
        else if (r.ValueTextEquals("body"u8)) f.Body = ReadRawText(ref r, utf8);
        else if (r.ValueTextEquals("id"u8)) f.Id = ReadString(ref r, ref f, "id");
        else if (r.ValueTextEquals("n"u8)) f.N = ReadInt64(ref r, ref f, "n");
        else if (r.ValueTextEquals("from"u8)) f.From = ReadString(ref r, ref f, "from");
        else if (r.ValueTextEquals("cid"u8)) f.Cid = ReadString(ref r, ref f, "cid");
        else if (r.ValueTextEquals("kind"u8)) f.Kind = ReadString(ref r, ref f, "kind");
        else if (r.ValueTextEquals("ts"u8)) f.Ts = ReadInt64(ref r, ref f, "ts");
        else if (r.ValueTextEquals("expiresAt"u8)) f.ExpiresAt = ReadInt64(ref r, ref f, "expiresAt");
        else if (r.ValueTextEquals("media"u8)) f.Media = ReadMedia(ref r, ref f);
        else if (r.ValueTextEquals("code"u8)) f.Code = ReadString(ref r, ref f, "code");
        else if (r.ValueTextEquals("message"u8)) f.Message = ReadString(ref r, ref f, "message");
        else if (r.ValueTextEquals("retryAfterMs"u8)) f.RetryAfterMs = ReadInt64(ref r, ref f, "retryAfterMs");
        else if (r.ValueTextEquals("user"u8)) f.User = ReadString(ref r, ref f, "user");
        else if (r.ValueTextEquals("device"u8)) f.Device = ReadString(ref r, ref f, "device");
        else if (r.ValueTextEquals("head"u8)) f.Head = ReadInt64(ref r, ref f, "head");
        else if (r.ValueTextEquals("serverTime"u8)) f.ServerTime = ReadInt64(ref r, ref f, "serverTime");
        else if (r.ValueTextEquals("limits"u8)) f.Limits = ReadLimits(ref r, ref f);
        else if (r.ValueTextEquals("by"u8)) f.By = ReadString(ref r, ref f, "by");
        else if (r.ValueTextEquals("status"u8)) f.Status = ReadString(ref r, ref f, "status");
        else if (r.ValueTextEquals("upTo"u8)) f.UpTo = ReadInt64(ref r, ref f, "upTo");
        else if (r.ValueTextEquals("event"u8)) f.Event = ReadString(ref r, ref f, "event");
        else if (r.ValueTextEquals("members"u8)) f.Members = ReadStrings(ref r, ref f, "members");
        else if (r.ValueTextEquals("name"u8)) f.Name = ReadString(ref r, ref f, "name");
        else if (r.ValueTextEquals("member"u8)) f.Member = ReadString(ref r, ref f, "member");
        else if (r.ValueTextEquals("admin"u8)) f.Admin = ReadBool(ref r, ref f, "admin");
        else if (r.ValueTextEquals("retention"u8)) f.Retention = ReadInt64(ref r, ref f, "retention");
        else if (r.ValueTextEquals("to"u8)) f.To = ReadString(ref r, ref f, "to");
        else if (r.ValueTextEquals("reason"u8)) f.Reason = ReadString(ref r, ref f, "reason");
        else if (r.ValueTextEquals("online"u8)) f.Online = ReadBool(ref r, ref f, "online");
        else if (r.ValueTextEquals("lastSeen"u8)) f.LastSeen = ReadInt64(ref r, ref f, "lastSeen");
        else if (r.ValueTextEquals("state"u8)) f.State = ReadString(ref r, ref f, "state");
        else if (r.ValueTextEquals("replyTo"u8)) f.ReplyTo = ReadInt64(ref r, ref f, "replyTo");
        else if (r.ValueTextEquals("editedAt"u8)) f.EditedAt = ReadInt64(ref r, ref f, "editedAt");
        else if (r.ValueTextEquals("emoji"u8)) f.Emoji = ReadString(ref r, ref f, "emoji");
        else if (r.ValueTextEquals("reactions"u8)) f.Reactions = ReadReactions(ref r, ref f);
        else if (r.ValueTextEquals("description"u8)) f.Description = ReadString(ref r, ref f, "description");
        else
        {
            // Unknown fields are ignored, whatever their shape.
            r.Read();
            r.Skip();
        }
    }

    /// <summary>The exact JSON text of the next value: the bytes between its first and its last token.</summary>
    private static string ReadRawText(ref Utf8JsonReader r, ReadOnlySpan<byte> utf8)
    {
        r.Read();
        var start = checked((int)r.TokenStartIndex);
        r.Skip();
        var end = checked((int)r.BytesConsumed);
        return Encoding.UTF8.GetString(utf8[start..end]);
    }

    private static string? ReadString(ref Utf8JsonReader r, ref Fields f, string name)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.String) return r.GetString();
        f.MarkBad(ref r, name);
        return null;
    }

    private static long? ReadInt64(ref Utf8JsonReader r, ref Fields f, string name)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var value)) return value;
        f.MarkBad(ref r, name);
        return null;
    }

    private static bool? ReadBool(ref Utf8JsonReader r, ref Fields f, string name)
    {
        r.Read();
        switch (r.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            default:
                f.MarkBad(ref r, name);
                return null;
        }
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader r, ref Fields f, string name)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray)
        {
            f.MarkBad(ref r, name);
            return null;
        }
        var list = new List<string>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.String) throw new JsonException($"field '{name}' must be an array of strings");
            list.Add(r.GetString()!);
        }
        return list;
    }

    private static List<MessageReaction>? ReadReactions(ref Utf8JsonReader r, ref Fields f)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray)
        {
            f.MarkBad(ref r, "reactions");
            return null;
        }
        var list = new List<MessageReaction>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject) throw new JsonException("each reaction must be an object");
            var e = new Fields();
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("by"u8)) e.By = ReadString(ref r, ref e, "reactions.by");
                else if (r.ValueTextEquals("emoji"u8)) e.Emoji = ReadString(ref r, ref e, "reactions.emoji");
                else
                {
                    r.Read();
                    r.Skip();
                }
            }
            list.Add(new MessageReaction(e.Required(e.By, "reactions.by"), e.Required(e.Emoji, "reactions.emoji")));
        }
        return list;
    }

    private static MediaInfo? ReadMedia(ref Utf8JsonReader r, ref Fields f)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartObject)
        {
            f.MarkBad(ref r, "media");
            return null;
        }
        var m = new Fields();
        string? mime = null;
        int? width = null, height = null;
        long? size = null, durationMs = null;
        bool? thumbnail = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("id"u8)) m.Id = ReadString(ref r, ref m, "media.id");
            else if (r.ValueTextEquals("mime"u8)) mime = ReadString(ref r, ref m, "media.mime");
            else if (r.ValueTextEquals("size"u8)) size = ReadInt64(ref r, ref m, "media.size");
            else if (r.ValueTextEquals("width"u8)) width = (int?)ReadInt64(ref r, ref m, "media.width");
            else if (r.ValueTextEquals("height"u8)) height = (int?)ReadInt64(ref r, ref m, "media.height");
            else if (r.ValueTextEquals("durationMs"u8)) durationMs = ReadInt64(ref r, ref m, "media.durationMs");
            else if (r.ValueTextEquals("thumbnail"u8)) thumbnail = ReadBool(ref r, ref m, "media.thumbnail");
            else
            {
                r.Read();
                r.Skip();
            }
        }
        return new MediaInfo(
            m.Required(m.Id, "media.id"), mime ?? "application/octet-stream", size ?? 0, m.Optional(width, "media.width"),
            m.Optional(height, "media.height"), m.Optional(durationMs, "media.durationMs"), thumbnail ?? false);
    }

    private static ServerLimits? ReadLimits(ref Utf8JsonReader r, ref Fields f)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartObject)
        {
            f.MarkBad(ref r, "limits");
            return null;
        }
        long frame = 0, body = 0, members = 0, description = 0;
        long? editWindow = null;
        var l = new Fields();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("maxFrameBytes"u8)) frame = ReadInt64(ref r, ref l, "limits.maxFrameBytes") ?? 0;
            else if (r.ValueTextEquals("maxBodyBytes"u8)) body = ReadInt64(ref r, ref l, "limits.maxBodyBytes") ?? 0;
            else if (r.ValueTextEquals("maxGroupMembers"u8)) members = ReadInt64(ref r, ref l, "limits.maxGroupMembers") ?? 0;
            else if (r.ValueTextEquals("maxGroupDescriptionChars"u8)) description = ReadInt64(ref r, ref l, "limits.maxGroupDescriptionChars") ?? 0;
            else if (r.ValueTextEquals("editWindowSeconds"u8)) editWindow = ReadInt64(ref r, ref l, "limits.editWindowSeconds");
            else
            {
                r.Read();
                r.Skip();
            }
        }
        return new ServerLimits(Clamp(frame), Clamp(body), Clamp(members), editWindow is { } seconds ? Math.Max(0, seconds) : null)
        {
            MaxGroupDescriptionChars = Clamp(description),
        };
    }

    private static int Clamp(long value) => (int)Math.Clamp(value, 0, int.MaxValue);

    private struct Fields
    {
        // Names of fields that were present with the wrong JSON type (or null). Only an error when the frame's type uses them,
        // so that a future frame type may give a known name another shape.
        private List<string>? _bad;

        public string? Type, Rid, Conv, Body, Id, From, Cid, Kind, Code, Message, User, Device, By, Status, Event, Name, Member, To, Reason, State, Emoji,
            Description;
        public long? Seq, N, Ts, ExpiresAt, RetryAfterMs, Head, ServerTime, UpTo, Retention, LastSeen, ReplyTo, EditedAt;
        public bool? Admin, Online;
        public MediaInfo? Media;
        public ServerLimits? Limits;
        public List<string>? Members;
        public List<MessageReaction>? Reactions;

        public void MarkBad(ref Utf8JsonReader r, string name)
        {
            // JSON null reads as absent; any other shape is remembered as wrong.
            if (r.TokenType != JsonTokenType.Null) (_bad ??= []).Add(name);
            r.Skip();
        }

        public readonly T Required<T>(T? value, string name) where T : class => value ?? throw Problem(name);

        public readonly T Required<T>(T? value, string name) where T : struct => value ?? throw Problem(name);

        public readonly T? Optional<T>(T? value, string name) where T : class =>
            value is null && _bad?.Contains(name) == true ? throw Problem(name) : value;

        public readonly T? Optional<T>(T? value, string name) where T : struct =>
            value is null && _bad?.Contains(name) == true ? throw Problem(name) : value;

        public readonly JsonException Problem(string name) =>
            _bad?.Contains(name) == true
                ? new JsonException($"field '{name}' has the wrong type")
                : new JsonException($"missing field '{name}'");
    }
}
