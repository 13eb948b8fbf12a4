using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Conformance.Tests.Harness;

/// <summary>The HTTP half of the protocol, by hand.</summary>
public sealed class HttpApi : IDisposable
{
    private readonly HttpClient _http;

    public HttpApi(Uri baseUri)
    {
        _http = new HttpClient { BaseAddress = baseUri, Timeout = Wait.Http };
    }

    public Task<HttpReply> PostJsonAsync(string path, string json, string? token = null) =>
        SendAsync(HttpMethod.Post, path, json, token);

    public Task<HttpReply> DeleteAsync(string path, string? token, string? json = null) =>
        SendAsync(HttpMethod.Delete, path, json, token);

    public Task<HttpReply> GetAsync(string path, string? token = null) =>
        SendAsync(HttpMethod.Get, path, null, token);

    public Task<HttpReply> CreateUserAsync(string username, string password, string? displayName = null)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = password };
        if (displayName is not null) body["displayName"] = displayName;
        return PostJsonAsync("v1/users", body.ToJsonString());
    }

    public Task<HttpReply> LoginAsync(string username, string password, string? deviceName = null)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = password };
        if (deviceName is not null) body["deviceName"] = deviceName;
        return PostJsonAsync("v1/sessions", body.ToJsonString());
    }

    public Task<HttpReply> LogoutAsync(string? token) => DeleteAsync("v1/sessions/current", token);

    /// <summary>Logs in and asserts it worked.</summary>
    public async Task<Session> SessionAsync(string username, string password)
    {
        var reply = await LoginAsync(username, password, "conformance");
        Assert.True(reply.Status == HttpStatusCode.OK, $"login of {username}: {(int)reply.Status} {reply.Text}");
        return new Session(
            username,
            password,
            reply.Json.GetProperty("token").GetString()!,
            reply.Json.GetProperty("deviceId").GetString()!,
            reply.Json.GetProperty("expiresAt").GetInt64());
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpReply> SendAsync(HttpMethod method, string path, string? json, string? token)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new HttpReply(response.StatusCode, text, ParseOrUndefined(text));
    }

    private static JsonElement ParseOrUndefined(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
