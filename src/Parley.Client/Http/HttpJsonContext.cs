using System.Text.Json.Serialization;

namespace Parley.Client.Http;

/// <summary>Source-generated JSON for the HTTP API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisterBody))]
[JsonSerializable(typeof(LoginBody))]
[JsonSerializable(typeof(PasswordBody))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(ParleySession))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(MediaUpload))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
