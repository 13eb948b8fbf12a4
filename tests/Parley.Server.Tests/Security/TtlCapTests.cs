using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>Issue 17 item 8: a ttl has an upper bound (Parley:Retention:MaxTtlSeconds, a year by default); longer is bad_request.</summary>
public sealed class TtlCapTests(SecurityServer fixture) : IClassFixture<SecurityServer>
{
    private const long MaxTtl = 365L * 24 * 3600;

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_send_whose_ttl_would_overflow_the_expiry_is_bad_request_and_stores_nothing()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await WireClient.LoginAsync(Server, bob);

        // ts + ttl * 1000 past long.MaxValue: unchecked, such a message would expire at once (a negative expiresAt).
        var overflow = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c1", ["to"] = bob, ["body"] = "x", ["ttl"] = long.MaxValue / 1000 });
        Assert.Equal("error", overflow.GetProperty("type").GetString());
        Assert.Equal("bad_request", overflow.GetProperty("code").GetString());
        var justOver = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c2", ["to"] = bob, ["body"] = "x", ["ttl"] = MaxTtl + 1 });
        Assert.Equal("bad_request", justOver.GetProperty("code").GetString());

        var history = await a.RequestAsync(new() { ["type"] = "history", ["conv"] = Direct(alice, bob) });
        Assert.Equal(0, history.GetProperty("messages").GetArrayLength());

        // At the cap it is accepted, and expires when it says.
        var atCap = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c3", ["to"] = bob, ["body"] = "x", ["ttl"] = MaxTtl });
        Assert.Equal("ok", atCap.GetProperty("type").GetString());
        Assert.Equal(atCap.GetProperty("ts").GetInt64() + MaxTtl * 1000, atCap.GetProperty("expiresAt").GetInt64());
    }

    [Fact]
    public async Task A_retention_longer_than_the_cap_is_bad_request_and_changes_nothing()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await WireClient.LoginAsync(Server, bob);
        var conv = Direct(alice, bob);

        var refused = await a.RequestAsync(new() { ["type"] = "retention", ["conv"] = conv, ["ttl"] = long.MaxValue / 1000 });
        Assert.Equal("bad_request", refused.GetProperty("code").GetString());
        var sent = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c1", ["to"] = bob, ["body"] = "x" });
        Assert.Equal("ok", sent.GetProperty("type").GetString());
        Assert.False(sent.TryGetProperty("expiresAt", out _));

        var accepted = await a.RequestAsync(new() { ["type"] = "retention", ["conv"] = conv, ["ttl"] = MaxTtl });
        Assert.Equal(MaxTtl, accepted.GetProperty("retention").GetInt64());
    }
}
