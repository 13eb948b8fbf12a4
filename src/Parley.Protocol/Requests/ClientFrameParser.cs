using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Parley.Protocol.Requests;

/// <summary>
/// Reads one client frame in a single pass with <see cref="Utf8JsonReader"/>: the envelope and the
/// fields the frame's type uses. A message <c>body</c> is never parsed into objects: its exact JSON
/// text is sliced out of the frame so that it travels byte for byte.
/// </summary>
public static class ClientFrameParser
{
    /// <summary>The longest <c>rid</c> the protocol allows.</summary>
    public const int MaxRidLength = 64;

    /// <summary>The longest <c>cid</c> this server accepts.</summary>
    public const int MaxCidLength = 128;

    /// <summary>The most messages one <c>history</c> returns.</summary>
    public const int MaxHistoryLimit = 200;

    /// <summary>The longest reaction <c>emoji</c>, in UTF-8 bytes (v1.1).</summary>
    public const int MaxEmojiBytes = 32;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a frame's UTF-8 JSON text.</summary>
    /// <param name="utf8">The whole text frame.</param>
    /// <param name="request">The typed request when the frame is valid.</param>
    /// <param name="error">Why it is not, when it is not.</param>
    /// <returns>True when <paramref name="request"/> is set.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out ClientRequest? request, out FrameError error)
    {
        request = null;
        var fields = new RawFields();
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new FrameError(null, ErrorCodes.BadRequest, "a frame must be one JSON object");
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadProperty(ref reader, utf8, ref fields);
            }
            // Anything after the closing brace other than white space is malformed.
            if (reader.Read())
            {
                error = new FrameError(null, ErrorCodes.BadRequest, "unexpected data after the JSON object");
                return false;
            }
        }
        catch (JsonException)
        {
            error = new FrameError(fields.RidIfValid, ErrorCodes.BadRequest, "malformed JSON");
            return false;
        }

        if (fields.Bad.HasFlag(Field.Rid))
        {
            error = new FrameError(null, ErrorCodes.BadRequest, "rid must be a string");
            return false;
        }
        if (fields.Rid is { Length: > MaxRidLength })
        {
            error = new FrameError(fields.Rid, ErrorCodes.BadRequest, $"rid is longer than {MaxRidLength} characters");
            return false;
        }
        if (fields.Type is null)
        {
            error = new FrameError(fields.Rid, ErrorCodes.BadRequest,
                fields.Bad.HasFlag(Field.Type) ? "type must be a string" : "missing field 'type'");
            return false;
        }
        return Build(ref fields, out request, out error);
    }

    private static bool Build(ref RawFields f, [NotNullWhen(true)] out ClientRequest? request, out FrameError error)
    {
        request = null;
        error = default;
        var rid = f.Rid;
        switch (f.Type)
        {
            case FrameTypes.Hello:
                if (!f.Check(Field.Token | Field.After | Field.Background, out error)) return false;
                if (f.After < 0) return f.Fail("after must not be negative", out error);
                request = new HelloRequest(rid, f.Token ?? "", f.After, f.Background ?? false);
                return true;
            case FrameTypes.Ack:
                if (!f.Check(Field.Seq, out error) || !f.Require(Field.Seq, out error)) return false;
                request = new AckRequest(rid, f.Seq ?? 0);
                return true;
            case FrameTypes.Send:
                return BuildSend(ref f, out request, out error);
            case FrameTypes.Read:
                if (!f.Check(Field.Conv | Field.UpTo, out error) || !f.Require(Field.Conv | Field.UpTo, out error)) return false;
                if (f.UpTo < 0) return f.Fail("upTo must not be negative", out error);
                request = new ReadRequest(rid, f.Conv!, f.UpTo!.Value);
                return true;
            case FrameTypes.History:
                if (!f.Check(Field.Conv | Field.Before | Field.Limit, out error) || !f.Require(Field.Conv, out error)) return false;
                if (f.Before is < 1) return f.Fail("before must be at least 1", out error);
                if (f.Limit is < 1) return f.Fail("limit must be at least 1", out error);
                request = new HistoryRequest(rid, f.Conv!, f.Before, f.Limit is > MaxHistoryLimit ? MaxHistoryLimit : f.Limit);
                return true;
            case FrameTypes.Convs:
                if (!f.Check(Field.Left, out error)) return false;
                request = new ConvsRequest(rid, f.Left ?? false);
                return true;
            case FrameTypes.Ping:
                request = new PingRequest(rid);
                return true;
            case FrameTypes.Receipts:
                if (!f.Check(Field.Conv | Field.N, out error) || !f.Require(Field.Conv | Field.N, out error)) return false;
                request = new ReceiptsRequest(rid, f.Conv!, f.N!.Value);
                return true;
            case FrameTypes.GroupCreate:
                if (!f.Check(Field.Name | Field.Members, out error) || !f.Require(Field.Name | Field.Members, out error)) return false;
                request = new GroupCreateRequest(rid, f.Name!, f.Members!);
                return true;
            case FrameTypes.GroupAdd:
                if (!f.Check(Field.Conv | Field.Members, out error) || !f.Require(Field.Conv | Field.Members, out error)) return false;
                request = new GroupAddRequest(rid, f.Conv!, f.Members!);
                return true;
            case FrameTypes.GroupRemove:
                if (!f.Check(Field.Conv | Field.Member, out error) || !f.Require(Field.Conv | Field.Member, out error)) return false;
                request = new GroupRemoveRequest(rid, f.Conv!, f.Member!);
                return true;
            case FrameTypes.GroupLeave:
                if (!f.Check(Field.Conv, out error) || !f.Require(Field.Conv, out error)) return false;
                request = new GroupLeaveRequest(rid, f.Conv!);
                return true;
            case FrameTypes.GroupRename:
                if (!f.Check(Field.Conv | Field.Name, out error) || !f.Require(Field.Conv | Field.Name, out error)) return false;
                request = new GroupRenameRequest(rid, f.Conv!, f.Name!);
                return true;
            case FrameTypes.GroupDescribe:
                // description is required and must be a string: "" clears it; null is not a way to clear it.
                if (!f.Check(Field.Conv | Field.Description, out error) || !f.Require(Field.Conv, out error)) return false;
                if (!f.DescriptionGiven) return f.Fail("missing field 'description' (a string; \"\" clears it)", out error);
                if (f.Description is not { } description) return f.Fail("field 'description' must be a string (\"\" clears it)", out error);
                request = new GroupDescribeRequest(rid, f.Conv!, description);
                return true;
            case FrameTypes.GroupAdmin:
                if (!f.Check(Field.Conv | Field.Member | Field.Admin, out error) || !f.Require(Field.Conv | Field.Member | Field.Admin, out error)) return false;
                request = new GroupAdminRequest(rid, f.Conv!, f.Member!, f.Admin!.Value);
                return true;
            case FrameTypes.GroupInfo:
                if (!f.Check(Field.Conv, out error) || !f.Require(Field.Conv, out error)) return false;
                request = new GroupInfoRequest(rid, f.Conv!);
                return true;
            case FrameTypes.Retention:
                // ttl is required, and null is a value here: permanent.
                if (!f.Check(Field.Conv | Field.Ttl, out error) || !f.Require(Field.Conv, out error)) return false;
                if (!f.TtlGiven) return f.Fail("missing field 'ttl' (seconds, or null for permanent)", out error);
                if (f.Ttl is < 1) return f.Fail("ttl must be at least 1 second", out error);
                request = new RetentionRequest(rid, f.Conv!, f.Ttl);
                return true;
            case FrameTypes.Delete:
                if (!f.Check(Field.Conv | Field.N, out error) || !f.Require(Field.Conv | Field.N, out error)) return false;
                request = new DeleteRequest(rid, f.Conv!, f.N!.Value);
                return true;
            case FrameTypes.PresenceSubscribe:
                if (!f.Check(Field.Users, out error) || !f.Require(Field.Users, out error)) return false;
                request = new PresenceSubscribeRequest(rid, f.Users!);
                return true;
            case FrameTypes.PresenceSet:
                if (!f.Check(Field.State, out error) || !f.Require(Field.State, out error)) return false;
                if (!PresenceStates.IsKnown(f.State!)) return f.Fail("state must be active or away", out error);
                request = new PresenceSetRequest(rid, f.State!);
                return true;
            case FrameTypes.Privacy:
                if (!f.Check(Field.LastSeen, out error) || !f.Require(Field.LastSeen, out error)) return false;
                if (!LastSeenVisibility.IsKnown(f.LastSeen!)) return f.Fail("lastSeen must be everyone, contacts or nobody", out error);
                request = new PrivacyRequest(rid, f.LastSeen!);
                return true;
            case FrameTypes.Typing:
                if (!f.Check(Field.Conv | Field.State, out error) || !f.Require(Field.Conv | Field.State, out error)) return false;
                if (!TypingStates.IsKnown(f.State!)) return f.Fail("state must be composing or paused", out error);
                request = new TypingRequest(rid, f.Conv!, f.State!);
                return true;
            case FrameTypes.Edit:
                // kind and media cannot change: an edit ignores them (v1.1 details), like any unknown field.
                if (!f.Check(Field.Conv | Field.N | Field.Body, out error) || !f.Require(Field.Conv | Field.N | Field.Body, out error)) return false;
                request = new EditRequest(rid, f.Conv!, f.N!.Value, f.Body);
                return true;
            case FrameTypes.React:
                // emoji is required, and null is a value here: take the reaction back.
                if (!f.Check(Field.Conv | Field.N | Field.Emoji, out error) || !f.Require(Field.Conv | Field.N, out error)) return false;
                if (!f.EmojiGiven) return f.Fail("missing field 'emoji' (a string, or null to take the reaction back)", out error);
                if (f.Emoji is { } emoji && (emoji.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(emoji) > MaxEmojiBytes))
                {
                    return f.Fail($"emoji must be 1 to {MaxEmojiBytes} UTF-8 bytes, or null", out error);
                }
                request = new ReactRequest(rid, f.Conv!, f.N!.Value, f.Emoji);
                return true;
            case FrameTypes.Block:
            case FrameTypes.Unblock:
                if (!f.Check(Field.User, out error) || !f.Require(Field.User, out error)) return false;
                request = f.Type == FrameTypes.Block ? new BlockRequest(rid, f.User!) : new UnblockRequest(rid, f.User!);
                return true;
            case FrameTypes.Blocked:
                request = new BlockedRequest(rid);
                return true;
            case FrameTypes.GroupInvite:
            case FrameTypes.GroupRevokeInvite:
                if (!f.Check(Field.Conv, out error) || !f.Require(Field.Conv, out error)) return false;
                request = f.Type == FrameTypes.GroupInvite ? new GroupInviteRequest(rid, f.Conv!) : new GroupRevokeInviteRequest(rid, f.Conv!);
                return true;
            case FrameTypes.GroupJoin:
                if (!f.Check(Field.Code, out error) || !f.Require(Field.Code, out error)) return false;
                request = new GroupJoinRequest(rid, f.Code!);
                return true;
            default:
                error = new FrameError(rid, ErrorCodes.BadRequest, $"unknown type '{Truncate(f.Type!)}'");
                return false;
        }
    }

    private static bool BuildSend(ref RawFields f, [NotNullWhen(true)] out ClientRequest? request, out FrameError error)
    {
        request = null;
        if (!f.Check(Field.Cid | Field.To | Field.Conv | Field.Kind | Field.Body | Field.Media | Field.Ttl | Field.ReplyTo, out error)
            || !f.Require(Field.Cid | Field.Body, out error))
        {
            return false;
        }
        if (f.Cid!.Length == 0 || f.Cid.Length > MaxCidLength) return f.Fail($"cid must be 1 to {MaxCidLength} characters", out error);
        if ((f.To is null) == (f.Conv is null)) return f.Fail("give exactly one of 'to' and 'conv'", out error);
        var kind = f.Kind ?? MessageKinds.Text;
        if (!MessageKinds.IsKnown(kind)) return f.Fail("kind must be text, image, video or file", out error);
        if (f.Ttl is < 1) return f.Fail("ttl must be at least 1 second", out error);
        request = new SendRequest(f.Rid, f.Cid, f.To, f.Conv, kind, f.Body, f.MediaId, f.Ttl, f.ReplyTo);
        return true;
    }

    private static void ReadProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, ref RawFields f)
    {
        if (reader.ValueTextEquals("type"u8)) f.Type = ReadString(ref reader, ref f, Field.Type);
        else if (reader.ValueTextEquals("rid"u8)) f.Rid = ReadString(ref reader, ref f, Field.Rid);
        else if (reader.ValueTextEquals("token"u8)) f.Token = ReadString(ref reader, ref f, Field.Token);
        else if (reader.ValueTextEquals("after"u8)) f.After = ReadInt64(ref reader, ref f, Field.After);
        else if (reader.ValueTextEquals("background"u8)) f.Background = ReadBool(ref reader, ref f, Field.Background);
        else if (reader.ValueTextEquals("seq"u8)) f.Seq = ReadInt64(ref reader, ref f, Field.Seq);
        else if (reader.ValueTextEquals("cid"u8)) f.Cid = ReadString(ref reader, ref f, Field.Cid);
        else if (reader.ValueTextEquals("to"u8)) f.To = ReadString(ref reader, ref f, Field.To);
        else if (reader.ValueTextEquals("conv"u8)) f.Conv = ReadString(ref reader, ref f, Field.Conv);
        else if (reader.ValueTextEquals("kind"u8)) f.Kind = ReadString(ref reader, ref f, Field.Kind);
        else if (reader.ValueTextEquals("ttl"u8))
        {
            f.TtlGiven = true;
            f.Ttl = ReadInt64(ref reader, ref f, Field.Ttl);
        }
        else if (reader.ValueTextEquals("upTo"u8)) f.UpTo = ReadInt64(ref reader, ref f, Field.UpTo);
        else if (reader.ValueTextEquals("before"u8)) f.Before = ReadInt64(ref reader, ref f, Field.Before);
        else if (reader.ValueTextEquals("limit"u8)) f.Limit = ReadInt64(ref reader, ref f, Field.Limit);
        else if (reader.ValueTextEquals("body"u8)) ReadBody(ref reader, utf8, ref f);
        else if (reader.ValueTextEquals("media"u8)) ReadMedia(ref reader, ref f);
        else if (reader.ValueTextEquals("name"u8)) f.Name = ReadString(ref reader, ref f, Field.Name);
        else if (reader.ValueTextEquals("members"u8)) f.Members = ReadStrings(ref reader, ref f, Field.Members);
        else if (reader.ValueTextEquals("member"u8)) f.Member = ReadString(ref reader, ref f, Field.Member);
        else if (reader.ValueTextEquals("admin"u8)) f.Admin = ReadBool(ref reader, ref f, Field.Admin);
        else if (reader.ValueTextEquals("n"u8)) f.N = ReadInt64(ref reader, ref f, Field.N);
        else if (reader.ValueTextEquals("users"u8)) f.Users = ReadStrings(ref reader, ref f, Field.Users);
        else if (reader.ValueTextEquals("state"u8)) f.State = ReadString(ref reader, ref f, Field.State);
        else if (reader.ValueTextEquals("lastSeen"u8)) f.LastSeen = ReadString(ref reader, ref f, Field.LastSeen);
        else if (reader.ValueTextEquals("left"u8)) f.Left = ReadBool(ref reader, ref f, Field.Left);
        else if (reader.ValueTextEquals("replyTo"u8)) f.ReplyTo = ReadInt64(ref reader, ref f, Field.ReplyTo);
        else if (reader.ValueTextEquals("emoji"u8))
        {
            f.EmojiGiven = true;
            f.Emoji = ReadString(ref reader, ref f, Field.Emoji);
        }
        else if (reader.ValueTextEquals("user"u8)) f.User = ReadString(ref reader, ref f, Field.User);
        else if (reader.ValueTextEquals("code"u8)) f.Code = ReadString(ref reader, ref f, Field.Code);
        else if (reader.ValueTextEquals("description"u8))
        {
            f.DescriptionGiven = true;
            f.Description = ReadString(ref reader, ref f, Field.Description);
        }
        else
        {
            // Unknown fields are ignored, whatever their shape.
            reader.Read();
            reader.Skip();
        }
    }

    private static void ReadBody(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, ref RawFields f)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                break;
            case JsonTokenType.StartObject:
                reader.Skip();
                break;
            default:
                reader.Skip();
                f.Bad |= Field.Body;
                f.Seen |= Field.Body;
                return;
        }
        var end = (int)reader.BytesConsumed;
        f.Body = utf8[start..end].ToArray();
        f.Seen |= Field.Body;
    }

    private static void ReadMedia(ref Utf8JsonReader reader, ref RawFields f)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return;
        f.Seen |= Field.Media;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            f.Bad |= Field.Media;
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) f.MediaId = reader.GetString();
                else { reader.Skip(); f.Bad |= Field.Media; }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (f.MediaId is null) f.Bad |= Field.Media;
    }

    private static string? ReadString(ref Utf8JsonReader reader, ref RawFields f, Field field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        f.Seen |= field;
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        f.Bad |= field;
        return null;
    }

    private static string[]? ReadStrings(ref Utf8JsonReader reader, ref RawFields f, Field field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        f.Seen |= field;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            f.Bad |= field;
            return null;
        }
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
                f.Bad |= field;
            }
        }
        return (f.Bad & field) == 0 ? values.ToArray() : null;
    }

    private static long? ReadInt64(ref Utf8JsonReader reader, ref RawFields f, Field field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        f.Seen |= field;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)) return value;
        reader.Skip();
        f.Bad |= field;
        return null;
    }

    private static bool? ReadBool(ref Utf8JsonReader reader, ref RawFields f, Field field)
    {
        reader.Read();
        f.Seen |= field;
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: f.Seen &= ~field; return null;
            default:
                reader.Skip();
                f.Bad |= field;
                return null;
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    [Flags]
    private enum Field
    {
        None = 0,
        Type = 1 << 0,
        Rid = 1 << 1,
        Token = 1 << 2,
        After = 1 << 3,
        Background = 1 << 4,
        Seq = 1 << 5,
        Cid = 1 << 6,
        To = 1 << 7,
        Conv = 1 << 8,
        Kind = 1 << 9,
        Body = 1 << 10,
        Media = 1 << 11,
        Ttl = 1 << 12,
        UpTo = 1 << 13,
        Before = 1 << 14,
        Limit = 1 << 15,
        Name = 1 << 16,
        Members = 1 << 17,
        Member = 1 << 18,
        Admin = 1 << 19,
        N = 1 << 20,
        Users = 1 << 21,
        State = 1 << 22,
        LastSeen = 1 << 23,
        Left = 1 << 24,
        ReplyTo = 1 << 25,
        Emoji = 1 << 26,
        User = 1 << 27,
        Code = 1 << 28,
        Description = 1 << 29,
    }

    private static readonly (Field Field, string Name, string Shape)[] FieldNames =
    [
        (Field.Type, "type", "a string"), (Field.Rid, "rid", "a string"), (Field.Token, "token", "a string"),
        (Field.After, "after", "an integer"), (Field.Background, "background", "a boolean"), (Field.Seq, "seq", "an integer"),
        (Field.Cid, "cid", "a string"), (Field.To, "to", "a string"), (Field.Conv, "conv", "a string"),
        (Field.Kind, "kind", "a string"), (Field.Body, "body", "a JSON string or object"),
        (Field.Media, "media", "an object with a string 'id'"), (Field.Ttl, "ttl", "an integer"),
        (Field.UpTo, "upTo", "an integer"), (Field.Before, "before", "an integer"), (Field.Limit, "limit", "an integer"),
        (Field.Name, "name", "a string"), (Field.Members, "members", "an array of strings"), (Field.Member, "member", "a string"),
        (Field.Admin, "admin", "a boolean"), (Field.N, "n", "an integer"),
        (Field.Users, "users", "an array of strings"), (Field.State, "state", "a string"), (Field.LastSeen, "lastSeen", "a string"),
        (Field.Left, "left", "a boolean"),
        (Field.ReplyTo, "replyTo", "an integer"), (Field.Emoji, "emoji", "a string or null"),
        (Field.User, "user", "a string"), (Field.Code, "code", "a string"),
        (Field.Description, "description", "a string (\"\" clears it)"),
    ];

    private struct RawFields
    {
        public Field Seen;
        public Field Bad;
        public string? Type;
        public string? Rid;
        public string? Token;
        public long? After;
        public bool? Background;
        public long? Seq;
        public string? Cid;
        public string? To;
        public string? Conv;
        public string? Kind;
        public ReadOnlyMemory<byte> Body;
        public string? MediaId;
        public long? Ttl;
        public bool TtlGiven;
        public long? UpTo;
        public long? Before;
        public long? Limit;
        public string? Name;
        public string[]? Members;
        public string? Member;
        public bool? Admin;
        public bool? Left;
        public long? N;
        public string[]? Users;
        public string? State;
        public string? LastSeen;
        public long? ReplyTo;
        public string? Emoji;
        public bool EmojiGiven;
        public string? User;
        public string? Code;
        public string? Description;
        public bool DescriptionGiven;

        public readonly string? RidIfValid => Rid is { Length: <= MaxRidLength } ? Rid : null;

        /// <summary>Fails when any of <paramref name="used"/> had the wrong JSON type.</summary>
        public readonly bool Check(Field used, out FrameError error)
        {
            var bad = Bad & used;
            if (bad == Field.None)
            {
                error = default;
                return true;
            }
            foreach (var (field, name, shape) in FieldNames)
            {
                if (bad.HasFlag(field))
                {
                    error = new FrameError(Rid, ErrorCodes.BadRequest, $"field '{name}' must be {shape}");
                    return false;
                }
            }
            error = new FrameError(Rid, ErrorCodes.BadRequest, "a field has the wrong type");
            return false;
        }

        /// <summary>Fails when any of <paramref name="required"/> is missing.</summary>
        public readonly bool Require(Field required, out FrameError error)
        {
            var missing = required & ~Seen;
            foreach (var (field, name, _) in FieldNames)
            {
                if (missing.HasFlag(field))
                {
                    error = new FrameError(Rid, ErrorCodes.BadRequest, $"missing field '{name}'");
                    return false;
                }
            }
            error = default;
            return true;
        }

        public readonly bool Fail(string message, out FrameError error)
        {
            error = new FrameError(Rid, ErrorCodes.BadRequest, message);
            return false;
        }
    }
}
