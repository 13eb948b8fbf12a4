using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>
/// Acks that owe no one a receipt (group messages, one's own, receipts) may wait <c>Parley:Delivery:LazyAckDelay</c> to be
/// stored with later ones; an ack of a direct message from someone else is stored at once, and takes the waiting ones along.
/// </summary>
public sealed class LazyAckTests
{
    private static bool Is(JsonElement frame, string type, string conv) =>
        frame.GetProperty("type").GetString() == type && frame.TryGetProperty("conv", out var c) && c.GetString() == conv;

    [Fact]
    public async Task An_ack_that_owes_a_receipt_is_stored_at_once_and_takes_the_waiting_group_ack_along()
    {
        // A delay far longer than the waits below: only the urgent ack can have stored anything in time.
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Delivery:LazyAckDelay=00:00:10"]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(server, alice);
        var bobToken = await WireClient.LoginAsync(server, bob);
        await using var aliceClient = await WireClient.ConnectAsync(server, aliceToken);
        await using var bobClient = await WireClient.ConnectAsync(server, bobToken);

        var group = (await aliceClient.RequestAsync(new() { ["type"] = "group.create", ["name"] = "lazy", ["members"] = new[] { bob } }))
            .GetProperty("conv").GetString()!;
        var groupSent = await aliceClient.RequestAsync(new() { ["type"] = "send", ["cid"] = "g1", ["conv"] = group, ["body"] = "to the group" });
        var groupMessage = await bobClient.NextAsync(f => Is(f, "message", group));
        // This ack owes no one a receipt: it waits.
        await bobClient.SendAsync(new { type = "ack", seq = groupMessage.GetProperty("seq").GetInt64() });

        var directSent = await aliceClient.RequestAsync(new() { ["type"] = "send", ["cid"] = "d1", ["to"] = bob, ["body"] = "to bob" });
        var direct = directSent.GetProperty("conv").GetString()!;
        var directMessage = await bobClient.NextAsync(f => Is(f, "message", direct));
        await bobClient.SendAsync(new { type = "ack", seq = directMessage.GetProperty("seq").GetInt64() });

        // Both receipts come well within the lazy delay (WireClient waits at most 20 s for a frame; bounded below at 8 s).
        var within = TimeSpan.FromSeconds(8);
        var directReceipt = await aliceClient.NextAsync(f => Is(f, "receipt", direct)).WaitAsync(within);
        Assert.Equal("delivered", directReceipt.GetProperty("status").GetString());
        Assert.Equal(directSent.GetProperty("n").GetInt64(), directReceipt.GetProperty("upTo").GetInt64());
        var groupReceipt = await aliceClient.NextAsync(f => Is(f, "receipt", group)).WaitAsync(within);
        Assert.Equal("delivered", groupReceipt.GetProperty("status").GetString());
        Assert.Equal(groupSent.GetProperty("n").GetInt64(), groupReceipt.GetProperty("upTo").GetInt64());
    }

    [Fact]
    public async Task A_waiting_ack_is_stored_when_its_connection_closes()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Delivery:LazyAckDelay=00:00:10"]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(server, alice);
        var bobToken = await WireClient.LoginAsync(server, bob);
        await using var aliceClient = await WireClient.ConnectAsync(server, aliceToken);

        var group = (await aliceClient.RequestAsync(new() { ["type"] = "group.create", ["name"] = "lazy", ["members"] = new[] { bob } }))
            .GetProperty("conv").GetString()!;
        var groupSent = await aliceClient.RequestAsync(new() { ["type"] = "send", ["cid"] = "g1", ["conv"] = group, ["body"] = "to the group" });
        await using (var bobClient = await WireClient.ConnectAsync(server, bobToken))
        {
            var groupMessage = await bobClient.NextAsync(f => Is(f, "message", group));
            await bobClient.SendAsync(new { type = "ack", seq = groupMessage.GetProperty("seq").GetInt64() });
            // The ack has been read once the ping's reply comes (frames are handled in order).
            await bobClient.RequestAsync(new() { ["type"] = "ping" });
            await bobClient.CloseOutputAsync();
            await bobClient.ClosedAsync();
        }

        // The close stored the waiting ack: the group receipt comes long before the 10 s delay would have.
        var groupReceipt = await aliceClient.NextAsync(f => Is(f, "receipt", group)).WaitAsync(TimeSpan.FromSeconds(8));
        Assert.Equal(groupSent.GetProperty("n").GetInt64(), groupReceipt.GetProperty("upTo").GetInt64());
    }
}
