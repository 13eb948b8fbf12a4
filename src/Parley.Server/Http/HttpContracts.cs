using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Server.Http;

// The HTTP API's bodies, as the protocol names them.

internal sealed record RegisterBody(string? Username, string? Password, string? DisplayName);

internal sealed record RegisteredBody(string Username, string DisplayName);

internal sealed record LoginBody(string? Username, string? Password, string? DeviceName);

internal sealed record SessionBody(string Token, string DeviceId, long ExpiresAt);

internal sealed record ErrorDetail(string Code, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RetryAfterMs = null);

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ClusterNode(string Silo, string Status, int UserGrains, int GroupGrains);

internal sealed record ClusterStatus(IReadOnlyList<ClusterNode> Nodes);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterBody))]
[JsonSerializable(typeof(RegisteredBody))]
[JsonSerializable(typeof(LoginBody))]
[JsonSerializable(typeof(SessionBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ClusterStatus))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
