using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>Messages no device of a recipient acks within MaxPendingAge leave the recipient's inbox and fail for the sender.</summary>
public sealed class DeliveryFailureTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(args: ["--Parley:Delivery:MaxPendingAge=00:00:01", "--Parley:Delivery:FailureSweepInterval=00:00:00.200"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<string, object?> Send(string cid, string to) => new() { ["type"] = "send", ["cid"] = cid, ["to"] = to, ["body"] = "hi" };

    [Fact]
    public async Task A_message_pending_too_long_fails_for_its_sender_and_leaves_the_recipients_inbox()
    {
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, alice));
        var bobToken = await WireClient.LoginAsync(_server, bob);
        await WireClient.LoginAsync(_server, carol);

        // Bob is offline: the message waits in his inbox until it is too old.
        var ok = await a.RequestAsync(Send("to-bob", bob));
        var failed = await a.NextAsync("failed");
        Assert.Equal((ok.GetProperty("conv").GetString(), "to-bob", ok.GetProperty("id").GetString(), bob, "expired"),
            (failed.GetProperty("conv").GetString(), failed.GetProperty("cid").GetString(), failed.GetProperty("id").GetString(),
             failed.GetProperty("to").GetString(), failed.GetProperty("reason").GetString()));
        Assert.True(failed.GetProperty("seq").GetInt64() > ok.GetProperty("seq").GetInt64());

        // Bob comes back from the start of his inbox: the failed message is no longer held for him, so the first
        // message he receives is the next one (events come in seq order). One he acks is delivered and never fails.
        await using (var b = await WireClient.ConnectAsync(_server, bobToken, after: 0))
        {
            var delivered = await a.RequestAsync(Send("acked", bob));
            var message = await b.NextAsync("message");
            Assert.Equal(delivered.GetProperty("id").GetString(), message.GetProperty("id").GetString());
            await b.SendAsync(new { type = "ack", seq = message.GetProperty("seq").GetInt64() });
            await b.RequestAsync(new() { ["type"] = "ping" });

            // A later message to offline Carol fails: by then the acked one was old enough to fail too, had it been pending.
            await a.RequestAsync(Send("to-carol", carol));
            var carolFailed = await a.NextAsync("failed");
            Assert.Equal(("to-carol", carol), (carolFailed.GetProperty("cid").GetString(), carolFailed.GetProperty("to").GetString()));
        }
        var again = await a.RequestAsync(Send("after", bob));
        Assert.Equal("ok", again.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_failed_event_is_stored_and_replayed_to_a_device_that_connects_later()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(_server, alice);
        await WireClient.LoginAsync(_server, bob);
        long sentSeq;
        await using (var a = await WireClient.ConnectAsync(_server, aliceToken))
        {
            sentSeq = (await a.RequestAsync(Send("m1", bob))).GetProperty("seq").GetInt64();
            await a.NextAsync("failed");
        }
        await using var again = await WireClient.ConnectAsync(_server, aliceToken, after: sentSeq);
        var replayed = await again.NextAsync("failed");
        Assert.Equal(("m1", bob, "expired"), (replayed.GetProperty("cid").GetString(), replayed.GetProperty("to").GetString(), replayed.GetProperty("reason").GetString()));
    }
}
