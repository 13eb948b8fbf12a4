using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Parley.Protocol.Client;

/// <summary>
/// <c>ok</c>: the successful reply to the request with <paramref name="Rid"/>. The result fields stay in the
/// frame's text until asked for, as a <see cref="JsonElement"/> or through the typed readers.
/// </summary>
/// <param name="Rid">The request id, or null.</param>
/// <param name="Utf8">The whole frame's JSON text.</param>
public sealed record OkFrame(string? Rid, ReadOnlyMemory<byte> Utf8) : ServerFrame
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Ok;

    /// <summary>The whole frame as a JSON element (the result fields beside <c>type</c> and <c>rid</c>).</summary>
    public JsonElement ReadResult() => Deserialize(ClientJsonContext.Default.JsonElement);

    /// <summary>The reply to <c>send</c>.</summary>
    public SendResult ReadSendResult() => Deserialize(ClientJsonContext.Default.SendResult);

    /// <summary>The reply to <c>history</c>: messages in ascending n, bodies byte for byte.</summary>
    public IReadOnlyList<HistoryMessage> ReadHistory() => ServerFrameReader.ReadHistory(Utf8.Span);

    /// <summary>The reply to <c>convs</c>.</summary>
    public IReadOnlyList<ConversationInfo> ReadConversations() => Deserialize(ClientJsonContext.Default.ConversationsShape).Conversations ?? [];

    /// <summary>The reply to <c>receipts</c>.</summary>
    public MessageReceipts ReadReceipts() => Deserialize(ClientJsonContext.Default.MessageReceipts);

    /// <summary>The reply to <c>group.create</c>.</summary>
    public GroupCreated ReadGroupCreated() => Deserialize(ClientJsonContext.Default.GroupCreated);

    /// <summary>The reply to <c>group.info</c>.</summary>
    public GroupInfo ReadGroupInfo() => Deserialize(ClientJsonContext.Default.GroupInfo);

    /// <summary>The <c>members</c> of the reply to <c>group.add</c> or <c>group.remove</c>.</summary>
    public IReadOnlyList<string> ReadMembers() => Deserialize(ClientJsonContext.Default.MembersShape).Members ?? [];

    /// <summary>The <c>admins</c> of the reply to <c>group.admin</c>.</summary>
    public IReadOnlyList<string> ReadAdmins() => Deserialize(ClientJsonContext.Default.AdminsShape).Admins ?? [];

    /// <summary>The <c>retention</c> (seconds, or null for permanent) of the reply to <c>retention</c>.</summary>
    public long? ReadRetention() => Deserialize(ClientJsonContext.Default.RetentionShape).Retention;

    /// <summary>The <c>presence</c> snapshot of the reply to <c>presence.subscribe</c>.</summary>
    public IReadOnlyList<PresenceStatus> ReadPresence() => Deserialize(ClientJsonContext.Default.PresenceShape).Presence ?? [];

    /// <summary>The server time <c>ts</c> of the reply to <c>ping</c>.</summary>
    public long ReadPingTime() => Deserialize(ClientJsonContext.Default.PingShape).Ts;

    /// <summary>The <c>editedAt</c> (Unix ms) of the reply to <c>edit</c> (v1.1).</summary>
    public long ReadEditedAt() => Deserialize(ClientJsonContext.Default.EditShape).EditedAt;

    /// <summary>The <c>users</c> of the reply to <c>blocked</c> (v1.1).</summary>
    public IReadOnlyList<string> ReadUsers() => Deserialize(ClientJsonContext.Default.UsersShape).Users ?? [];

    /// <summary>The <c>code</c> of the reply to <c>group.invite</c> (v1.1).</summary>
    public string ReadInviteCode() => Deserialize(ClientJsonContext.Default.InviteShape).Code ?? throw new JsonException("missing field 'code'");

    /// <summary>The reply to <c>group.join</c> (v1.1).</summary>
    public GroupJoined ReadGroupJoined() => Deserialize(ClientJsonContext.Default.GroupJoined);

    private T Deserialize<T>(JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(Utf8.Span, typeInfo) ?? throw new JsonException("the ok frame is null");
}
