using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Presence and typing over the raw wire client: connecting in the background, subscribing, awaiting pushes.</summary>
internal static class PresenceWire
{
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Waits (without sleeping) until the clock has passed <paramref name="ms"/>, so later times are strictly later.</summary>
    public static long After(long? ms)
    {
        var now = Now();
        while (ms is { } t && now <= t)
        {
            Thread.SpinWait(100);
            now = Now();
        }
        return now;
    }

    /// <summary>Says hello as a background sync connection.</summary>
    public static async Task<WireClient> ConnectBackgroundAsync(ServerProcess server, string token)
    {
        var client = await WireClient.OpenAsync(server);
        await client.SendAsync(new { type = "hello", token, background = true });
        await client.NextAsync("welcome");
        return client;
    }

    /// <summary><c>presence.subscribe</c>; returns the snapshot entries by user.</summary>
    public static async Task<Dictionary<string, (bool Online, long? LastSeen)>> SubscribeAsync(WireClient client, params string[] users)
    {
        var reply = await client.RequestAsync(new() { ["type"] = "presence.subscribe", ["users"] = users });
        Assert.True(reply.GetProperty("type").GetString() == "ok", reply.ToString());
        return reply.GetProperty("presence").EnumerateArray().ToDictionary(p => p.GetProperty("user").GetString()!, Read);
    }

    public static async Task<(bool Online, long? LastSeen)> SnapshotAsync(WireClient client, string user) => (await SubscribeAsync(client, user))[user];

    /// <summary>The next <c>presence</c> push about <paramref name="user"/>.</summary>
    public static async Task<(bool Online, long? LastSeen)> NextPresenceAsync(WireClient client, string user) =>
        Read(await client.NextAsync(f => f.GetProperty("type").GetString() == "presence" && f.GetProperty("user").GetString() == user));

    /// <summary>The next <c>typing</c> event in <paramref name="conv"/>: its user and state.</summary>
    public static async Task<(string User, string State)> NextTypingAsync(WireClient client, string conv)
    {
        var frame = await client.NextAsync(f => f.GetProperty("type").GetString() == "typing" && f.GetProperty("conv").GetString() == conv);
        return (frame.GetProperty("user").GetString()!, frame.GetProperty("state").GetString()!);
    }

    public static async Task OkAsync(WireClient client, Dictionary<string, object?> request)
    {
        var reply = await client.RequestAsync(request);
        Assert.True(reply.GetProperty("type").GetString() == "ok", reply.ToString());
    }

    public static Task SetAsync(WireClient client, string state) => OkAsync(client, new() { ["type"] = "presence.set", ["state"] = state });

    public static Task PrivacyAsync(WireClient client, string lastSeen) => OkAsync(client, new() { ["type"] = "privacy", ["lastSeen"] = lastSeen });

    public static Task TypingAsync(WireClient client, string conv, string state) =>
        OkAsync(client, new() { ["type"] = "typing", ["conv"] = conv, ["state"] = state });

    public static Task SendAsync(WireClient client, string to, string body = "hi") =>
        OkAsync(client, new() { ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), ["to"] = to, ["body"] = body });

    public static string Direct(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? $"d:{a}:{b}" : $"d:{b}:{a}";

    private static (bool Online, long? LastSeen) Read(JsonElement p) =>
        (p.GetProperty("online").GetBoolean(), p.GetProperty("lastSeen").ValueKind == JsonValueKind.Null ? null : p.GetProperty("lastSeen").GetInt64());
}
