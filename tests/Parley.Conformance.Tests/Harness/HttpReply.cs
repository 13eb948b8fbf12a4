using System.Net;
using System.Text.Json;

namespace Parley.Conformance.Tests.Harness;

/// <summary>An HTTP response: status, body text and the body parsed (Undefined when empty or not JSON).</summary>
public sealed record HttpReply(HttpStatusCode Status, string Text, JsonElement Json)
{
    /// <summary>The <c>error.code</c> of an error body, or null.</summary>
    public string? ErrorCode =>
        Json.ValueKind == JsonValueKind.Object
        && Json.TryGetProperty("error", out var e)
        && e.ValueKind == JsonValueKind.Object
        && e.TryGetProperty("code", out var c)
        && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;

    /// <summary>Asserts the body is <c>{"error":{"code":...,"message":...}}</c> with this code.</summary>
    public void AssertError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.True(Json.ValueKind == JsonValueKind.Object, $"error body is not a JSON object: {Text}");
        Assert.True(Json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object, $"no error object: {Text}");
        Assert.True(error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String, $"no error.message string: {Text}");
        Assert.Equal(code, ErrorCode);
    }
}
