using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Protocol.Client;

/// <summary>
/// Writes the frames a client sends, each as one UTF-8 JSON text ready for the socket. A message body is
/// written raw: the JSON text the application gave, unchanged. A <c>rid</c> of null asks for no reply.
/// </summary>
public static class ClientFrameWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>hello</c>: the first frame of a connection.</summary>
    /// <param name="token">The bearer token from <c>POST /v1/sessions</c>.</param>
    /// <param name="after">The last inbox seq this device fully processed, or null for the server's stored cursor.</param>
    /// <param name="background">True for a background sync connection (does not make the user online).</param>
    public static byte[] Hello(string token, long? after, bool background = false) => Write((token, after, background), static (w, s) =>
    {
        w.WriteString("type"u8, FrameTypes.Hello);
        w.WriteString("token"u8, s.token);
        if (s.after is { } after) w.WriteNumber("after"u8, after);
        w.WriteBoolean("background"u8, s.background);
    });

    /// <summary><c>ack</c>: every inbox event up to <paramref name="seq"/> is processed.</summary>
    public static byte[] Ack(long seq) => Write(seq, static (w, seq) =>
    {
        w.WriteString("type"u8, FrameTypes.Ack);
        w.WriteNumber("seq"u8, seq);
    });

    /// <summary><c>send</c>: one message, to a user (<paramref name="to"/>) or into a conversation (<paramref name="conv"/>).</summary>
    /// <param name="rid">The request id.</param>
    /// <param name="cid">The client's id for the message; sending the same cid again is answered with the first reply.</param>
    /// <param name="to">A username, or null when <paramref name="conv"/> is given.</param>
    /// <param name="conv">A conversation id, or null when <paramref name="to"/> is given.</param>
    /// <param name="kind">text, image, video or file; null for the server's default (text).</param>
    /// <param name="bodyJson">The body's JSON text (one JSON string or object), written byte for byte.</param>
    /// <param name="mediaId">An uploaded media to attach, or null.</param>
    /// <param name="ttl">A time to live in seconds for this message, or null.</param>
    /// <param name="replyTo">v1.1: the n of the message (same conversation) this one replies to, or null.</param>
    /// <exception cref="ArgumentException">Not exactly one of <paramref name="to"/> and <paramref name="conv"/>, or a body that is not one JSON string or object.</exception>
    public static byte[] Send(
        string? rid, string cid, string? to, string? conv, string? kind, string bodyJson, string? mediaId = null, long? ttl = null, long? replyTo = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cid);
        if ((to is null) == (conv is null)) throw new ArgumentException("give exactly one of 'to' and 'conv'", nameof(to));
        if (!BodyJson.IsValid(bodyJson)) throw new ArgumentException("the body must be the JSON text of one string or object", nameof(bodyJson));
        return Write((rid, cid, to, conv, kind, bodyJson, mediaId, ttl, replyTo), static (w, s) =>
        {
            WriteHead(w, FrameTypes.Send, s.rid);
            w.WriteString("cid"u8, s.cid);
            if (s.to is not null) w.WriteString("to"u8, s.to);
            if (s.conv is not null) w.WriteString("conv"u8, s.conv);
            if (s.kind is not null) w.WriteString("kind"u8, s.kind);
            w.WritePropertyName("body"u8);
            // Checked above; written untouched so that the body travels byte for byte.
            w.WriteRawValue(s.bodyJson, skipInputValidation: true);
            if (s.mediaId is not null)
            {
                w.WriteStartObject("media"u8);
                w.WriteString("id"u8, s.mediaId);
                w.WriteEndObject();
            }
            if (s.ttl is { } ttl) w.WriteNumber("ttl"u8, ttl);
            if (s.replyTo is { } replyTo) w.WriteNumber("replyTo"u8, replyTo);
        });
    }

    /// <summary><c>react</c> (v1.1): the caller's reaction to message <paramref name="n"/>, or null to take it back.</summary>
    /// <param name="rid">The request id.</param>
    /// <param name="conv">The conversation id.</param>
    /// <param name="n">The message's position.</param>
    /// <param name="emoji">A non-empty string of at most 32 UTF-8 bytes, or null to take the reaction back.</param>
    public static byte[] React(string? rid, string conv, long n, string? emoji) => Write((rid, conv, n, emoji), static (w, s) =>
    {
        WriteHead(w, FrameTypes.React, s.rid);
        w.WriteString("conv"u8, s.conv);
        w.WriteNumber("n"u8, s.n);
        if (s.emoji is null) w.WriteNull("emoji"u8);
        else w.WriteString("emoji"u8, s.emoji);
    });

    /// <summary><c>edit</c> (v1.1): a new body for message <paramref name="n"/> (its sender only, within the server's edit window).</summary>
    /// <param name="rid">The request id.</param>
    /// <param name="conv">The conversation id.</param>
    /// <param name="n">The message's position.</param>
    /// <param name="bodyJson">The new body's JSON text (one JSON string or object), written byte for byte.</param>
    /// <exception cref="ArgumentException">A body that is not one JSON string or object.</exception>
    public static byte[] Edit(string? rid, string conv, long n, string bodyJson)
    {
        if (!BodyJson.IsValid(bodyJson)) throw new ArgumentException("the body must be the JSON text of one string or object", nameof(bodyJson));
        return Write((rid, conv, n, bodyJson), static (w, s) =>
        {
            WriteHead(w, FrameTypes.Edit, s.rid);
            w.WriteString("conv"u8, s.conv);
            w.WriteNumber("n"u8, s.n);
            w.WritePropertyName("body"u8);
            // Checked above; written untouched so that the body travels byte for byte.
            w.WriteRawValue(s.bodyJson, skipInputValidation: true);
        });
    }

    /// <summary><c>read</c>: moves the read marker of <paramref name="conv"/> to <paramref name="upTo"/>.</summary>
    public static byte[] Read(string? rid, string conv, long upTo) => Write((rid, conv, upTo), static (w, s) =>
    {
        WriteHead(w, FrameTypes.Read, s.rid);
        w.WriteString("conv"u8, s.conv);
        w.WriteNumber("upTo"u8, s.upTo);
    });

    /// <summary><c>history</c>: the newest <paramref name="limit"/> messages before n = <paramref name="before"/>.</summary>
    public static byte[] History(string? rid, string conv, long? before = null, int? limit = null) => Write((rid, conv, before, limit), static (w, s) =>
    {
        WriteHead(w, FrameTypes.History, s.rid);
        w.WriteString("conv"u8, s.conv);
        if (s.before is { } before) w.WriteNumber("before"u8, before);
        if (s.limit is { } limit) w.WriteNumber("limit"u8, limit);
    });

    /// <summary><c>convs</c>: the caller's conversations.</summary>
    public static byte[] Convs(string? rid) => Write(rid, static (w, rid) => WriteHead(w, FrameTypes.Convs, rid));

    /// <summary><c>receipts</c>: who received and read message <paramref name="n"/>.</summary>
    public static byte[] Receipts(string? rid, string conv, long n) => WriteConvN(FrameTypes.Receipts, rid, conv, n);

    /// <summary><c>delete</c>: deletes message <paramref name="n"/> for everyone.</summary>
    public static byte[] Delete(string? rid, string conv, long n) => WriteConvN(FrameTypes.Delete, rid, conv, n);

    /// <summary><c>group.create</c>: a new group with the caller as its first admin.</summary>
    public static byte[] GroupCreate(string? rid, string name, IEnumerable<string> members) => Write((rid, name, members), static (w, s) =>
    {
        WriteHead(w, FrameTypes.GroupCreate, s.rid);
        w.WriteString("name"u8, s.name);
        WriteStrings(w, "members"u8, s.members);
    });

    /// <summary><c>group.add</c>: adds members (admins only).</summary>
    public static byte[] GroupAdd(string? rid, string conv, IEnumerable<string> members) => Write((rid, conv, members), static (w, s) =>
    {
        WriteHead(w, FrameTypes.GroupAdd, s.rid);
        w.WriteString("conv"u8, s.conv);
        WriteStrings(w, "members"u8, s.members);
    });

    /// <summary><c>group.remove</c>: removes a member (admins only).</summary>
    public static byte[] GroupRemove(string? rid, string conv, string member) => WriteConvString(FrameTypes.GroupRemove, rid, conv, "member", member);

    /// <summary><c>group.leave</c>: the caller leaves the group.</summary>
    public static byte[] GroupLeave(string? rid, string conv) => WriteConv(FrameTypes.GroupLeave, rid, conv);

    /// <summary><c>group.rename</c>: renames the group (admins only).</summary>
    public static byte[] GroupRename(string? rid, string conv, string name) => WriteConvString(FrameTypes.GroupRename, rid, conv, "name", name);

    /// <summary><c>group.describe</c>: sets the group's description, <c>""</c> to clear it (admins only).</summary>
    public static byte[] GroupDescribe(string? rid, string conv, string description) =>
        WriteConvString(FrameTypes.GroupDescribe, rid, conv, "description", description);

    /// <summary><c>group.admin</c>: grants or revokes admin rights (admins only).</summary>
    public static byte[] GroupAdmin(string? rid, string conv, string member, bool admin) => Write((rid, conv, member, admin), static (w, s) =>
    {
        WriteHead(w, FrameTypes.GroupAdmin, s.rid);
        w.WriteString("conv"u8, s.conv);
        w.WriteString("member"u8, s.member);
        w.WriteBoolean("admin"u8, s.admin);
    });

    /// <summary><c>group.info</c>: the group's name, description, members, admins and retention.</summary>
    public static byte[] GroupInfo(string? rid, string conv) => WriteConv(FrameTypes.GroupInfo, rid, conv);

    /// <summary><c>retention</c>: sets the conversation's time to live in seconds, or null for permanent.</summary>
    public static byte[] Retention(string? rid, string conv, long? ttl) => Write((rid, conv, ttl), static (w, s) =>
    {
        WriteHead(w, FrameTypes.Retention, s.rid);
        w.WriteString("conv"u8, s.conv);
        if (s.ttl is { } ttl) w.WriteNumber("ttl"u8, ttl);
        else w.WriteNull("ttl"u8);
    });

    /// <summary><c>presence.subscribe</c>: presence pushes for <paramref name="users"/> for the rest of the connection.</summary>
    public static byte[] PresenceSubscribe(string? rid, IEnumerable<string> users) => Write((rid, users), static (w, s) =>
    {
        WriteHead(w, FrameTypes.PresenceSubscribe, s.rid);
        WriteStrings(w, "users"u8, s.users);
    });

    /// <summary><c>presence.set</c>: <c>active</c> or <c>away</c> (see <see cref="PresenceStates"/>).</summary>
    public static byte[] PresenceSet(string? rid, string state) => Write((rid, state), static (w, s) =>
    {
        WriteHead(w, FrameTypes.PresenceSet, s.rid);
        w.WriteString("state"u8, s.state);
    });

    /// <summary><c>privacy</c>: who sees the caller's last seen (see <see cref="LastSeenVisibility"/>).</summary>
    public static byte[] Privacy(string? rid, string lastSeen) => Write((rid, lastSeen), static (w, s) =>
    {
        WriteHead(w, FrameTypes.Privacy, s.rid);
        w.WriteString("lastSeen"u8, s.lastSeen);
    });

    /// <summary><c>typing</c>: <c>composing</c> or <c>paused</c> in <paramref name="conv"/> (see <see cref="TypingStates"/>).</summary>
    public static byte[] Typing(string? rid, string conv, string state) => WriteConvString(FrameTypes.Typing, rid, conv, "state", state);

    /// <summary><c>block</c> (v1.1): the caller stops receiving anything from <paramref name="user"/>.</summary>
    public static byte[] Block(string? rid, string user) => WriteUser(FrameTypes.Block, rid, user);

    /// <summary><c>unblock</c> (v1.1): undoes <c>block</c> (what was sent meanwhile stays undelivered).</summary>
    public static byte[] Unblock(string? rid, string user) => WriteUser(FrameTypes.Unblock, rid, user);

    /// <summary><c>blocked</c> (v1.1): the users the caller blocks.</summary>
    public static byte[] Blocked(string? rid) => Write(rid, static (w, rid) => WriteHead(w, FrameTypes.Blocked, rid));

    /// <summary><c>group.invite</c> (v1.1): the group's live invite code, made if there is none (admins only).</summary>
    public static byte[] GroupInvite(string? rid, string conv) => WriteConv(FrameTypes.GroupInvite, rid, conv);

    /// <summary><c>group.revokeInvite</c> (v1.1): the group's invite code stops working (admins only).</summary>
    public static byte[] GroupRevokeInvite(string? rid, string conv) => WriteConv(FrameTypes.GroupRevokeInvite, rid, conv);

    /// <summary><c>group.join</c> (v1.1): joins the group of an invite code.</summary>
    public static byte[] GroupJoin(string? rid, string code) => Write((rid, code), static (w, s) =>
    {
        WriteHead(w, FrameTypes.GroupJoin, s.rid);
        w.WriteString("code"u8, s.code);
    });

    /// <summary><c>ping</c>: answered with the server time.</summary>
    public static byte[] Ping(string? rid) => Write(rid, static (w, rid) => WriteHead(w, FrameTypes.Ping, rid));

    private static byte[] WriteConv(string type, string? rid, string conv) => Write((type, rid, conv), static (w, s) =>
    {
        WriteHead(w, s.type, s.rid);
        w.WriteString("conv"u8, s.conv);
    });

    private static byte[] WriteUser(string type, string? rid, string user) => Write((type, rid, user), static (w, s) =>
    {
        WriteHead(w, s.type, s.rid);
        w.WriteString("user"u8, s.user);
    });

    private static byte[] WriteConvN(string type, string? rid, string conv, long n) => Write((type, rid, conv, n), static (w, s) =>
    {
        WriteHead(w, s.type, s.rid);
        w.WriteString("conv"u8, s.conv);
        w.WriteNumber("n"u8, s.n);
    });

    private static byte[] WriteConvString(string type, string? rid, string conv, string name, string value) =>
        Write((type, rid, conv, name, value), static (w, s) =>
        {
            WriteHead(w, s.type, s.rid);
            w.WriteString("conv"u8, s.conv);
            w.WriteString(s.name, s.value);
        });

    private static void WriteHead(Utf8JsonWriter w, string type, string? rid)
    {
        w.WriteString("type"u8, type);
        if (rid is not null) w.WriteString("rid"u8, rid);
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
