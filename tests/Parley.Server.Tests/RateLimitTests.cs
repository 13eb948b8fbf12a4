using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>Token buckets per user (sends, other requests) and per address (account requests).</summary>
public sealed class RateLimitTests
{
    private static Task<ServerProcess> StartAsync(params string[] limits) =>
        ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true", .. limits]);

    /// <summary>Sends every frame first, then reads the replies: the burst reaches the server at once.</summary>
    private static async Task<List<JsonElement>> BurstAsync(WireClient client, IEnumerable<Dictionary<string, object?>> requests)
    {
        var rids = new List<string>();
        foreach (var request in requests)
        {
            var rid = client.NextRid();
            request["rid"] = rid;
            rids.Add(rid);
            await client.SendAsync(request);
        }
        var replies = new List<JsonElement>();
        foreach (var rid in rids) replies.Add(await client.NextAsync(f => f.TryGetProperty("rid", out var r) && r.GetString() == rid));
        return replies;
    }

    [Fact]
    public async Task Sends_past_the_burst_are_refused_with_a_retry_hint_and_store_nothing()
    {
        await using var server = await StartAsync("--Parley:RateLimits:SendsPerSecond=5");
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        await WireClient.LoginAsync(server, bob);

        var replies = await BurstAsync(a, Enumerable.Range(0, 30).Select(i =>
            new Dictionary<string, object?> { ["type"] = "send", ["cid"] = $"m{i}", ["to"] = bob, ["body"] = $"m{i}" }));
        var ok = replies.Count(r => r.GetProperty("type").GetString() == "ok");
        var limited = replies.Where(r => r.GetProperty("type").GetString() == "error").ToList();
        Assert.All(limited, r => Assert.Equal("rate_limited", r.GetProperty("code").GetString()));
        Assert.All(limited, r => Assert.InRange(r.GetProperty("retryAfterMs").GetInt64(), 1, 1000));
        Assert.InRange(ok, 5, 15);
        Assert.Equal(30, ok + limited.Count);

        // Only what was acknowledged is stored: history holds exactly the accepted sends, numbered without gaps.
        var conv = string.CompareOrdinal(alice, bob) < 0 ? $"d:{alice}:{bob}" : $"d:{bob}:{alice}";
        var history = await a.RequestAsync(new() { ["type"] = "history", ["conv"] = conv, ["limit"] = 200 });
        Assert.Equal(Enumerable.Range(1, ok).Select(n => (long)n), history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("n").GetInt64()));
    }

    [Fact]
    public async Task Other_requests_have_their_own_bucket_and_acks_are_never_limited()
    {
        await using var server = await StartAsync("--Parley:RateLimits:RequestsPerSecond=5", "--Parley:RateLimits:SendsPerSecond=1000");
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, Unique("a")));

        var pings = await BurstAsync(a, Enumerable.Range(0, 30).Select(_ => new Dictionary<string, object?> { ["type"] = "ping" }));
        Assert.Contains(pings, r => r.GetProperty("type").GetString() == "error" && r.GetProperty("code").GetString() == "rate_limited");
        var acks = await BurstAsync(a, Enumerable.Range(0, 30).Select(_ => new Dictionary<string, object?> { ["type"] = "ack", ["seq"] = 0 }));
        Assert.All(acks, r => Assert.Equal("ok", r.GetProperty("type").GetString()));
        // The send bucket is separate: a user out of request tokens still sends.
        var send = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c1", ["to"] = Unique("x"), ["body"] = "hi" });
        Assert.NotEqual("rate_limited", send.TryGetProperty("code", out var code) ? code.GetString() : null);
    }

    [Fact]
    public async Task Account_requests_from_one_address_past_the_burst_get_429_with_retry_after()
    {
        await using var server = await StartAsync("--Parley:RateLimits:AccountRequestsPerSecond=1", "--Parley:RateLimits:AccountRequestBurst=3");
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await http.PostAsJsonAsync("v1/sessions", new { username = "nobody", password = "password1" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused ??= response;
            else response.Dispose();
        }
        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("rate_limited", error.GetProperty("code").GetString());
            Assert.True(error.GetProperty("retryAfterMs").GetInt64() > 0);
        }
    }
}
