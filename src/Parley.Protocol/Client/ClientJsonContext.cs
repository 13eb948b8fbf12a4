using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Protocol.Client;

/// <summary>Source-generated (de)serialization of the ok results whose fields are plain values.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(SendResult))]
[JsonSerializable(typeof(MessageReceipts))]
[JsonSerializable(typeof(GroupCreated))]
[JsonSerializable(typeof(GroupInfo))]
[JsonSerializable(typeof(ConversationsShape))]
[JsonSerializable(typeof(MembersShape))]
[JsonSerializable(typeof(AdminsShape))]
[JsonSerializable(typeof(RetentionShape))]
[JsonSerializable(typeof(PresenceShape))]
[JsonSerializable(typeof(PingShape))]
[JsonSerializable(typeof(EditShape))]
[JsonSerializable(typeof(UsersShape))]
[JsonSerializable(typeof(InviteShape))]
[JsonSerializable(typeof(GroupJoined))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
