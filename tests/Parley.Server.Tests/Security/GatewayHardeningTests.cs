using System.Net.WebSockets;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>Issue 17 item 11: no receipts for deleted or expired messages; a cap on sockets per address that have not said hello.</summary>
public sealed class GatewayHardeningTests
{
    private static async Task<string?> ReceiptsCodeAsync(WireClient client, string conv, long n)
    {
        var reply = await client.RequestAsync(new() { ["type"] = "receipts", ["conv"] = conv, ["n"] = n });
        return reply.GetProperty("type").GetString() == "ok" ? null : reply.GetProperty("code").GetString();
    }

    [Fact]
    public async Task Receipts_of_a_deleted_or_expired_message_are_not_found()
    {
        await using var server = await ServerProcess.StartAsync(args: [PresenceServer.NoShedding]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        await WireClient.LoginAsync(server, bob);
        var conv = Direct(alice, bob);

        var deleted = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c1", ["to"] = bob, ["body"] = "oops" });
        var n = deleted.GetProperty("n").GetInt64();
        Assert.Null(await ReceiptsCodeAsync(a, conv, n));
        Assert.Equal("ok", (await a.RequestAsync(new() { ["type"] = "delete", ["conv"] = conv, ["n"] = n })).GetProperty("type").GetString());
        Assert.Equal("not_found", await ReceiptsCodeAsync(a, conv, n));

        var expiring = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c2", ["to"] = bob, ["body"] = "soon gone", ["ttl"] = 1 });
        var m = expiring.GetProperty("n").GetInt64();
        // Expiry is a matter of the clock: once history no longer shows it, its receipts are asked for.
        await Bounded.EventuallyAsync(async () => (await a.RequestAsync(new() { ["type"] = "history", ["conv"] = conv })).GetProperty("messages").GetArrayLength() == 0,
            "the message expires");
        Assert.Equal("not_found", await ReceiptsCodeAsync(a, conv, m));
    }

    [Fact]
    public async Task Sockets_that_have_not_said_hello_are_capped_per_address()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true", "--Parley:Gateway:MaxPendingHandshakesPerAddress=3"]);
        var token = await WireClient.LoginAsync(server, Unique("h"));
        var pending = new List<WireClient>();
        try
        {
            for (var i = 0; i < 3; i++) pending.Add(await WireClient.OpenAsync(server));
            var refused = await Assert.ThrowsAsync<WebSocketException>(() => WireClient.OpenAsync(server));
            Assert.Contains("429", refused.Message, StringComparison.Ordinal);

            // A socket that says hello leaves the count: another may open.
            await pending[0].SendAsync(new { type = "hello", token });
            await pending[0].NextAsync("welcome");
            pending.Add(await WireClient.OpenAsync(server));
        }
        finally
        {
            foreach (var client in pending) await client.DisposeAsync();
        }
    }
}
