using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Receipts;

/// <summary>Delivered receipts follow from acks; read receipts from read; read is never ahead of delivered.</summary>
public sealed class ReceiptTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task When_the_recipient_acks_the_sender_gets_a_delivered_receipt()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob);
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await bobClient.NextEventAsync("message");
        var second = await bobClient.NextEventAsync("message");

        await bobClient.AckAsync(second.Number("seq"));

        var receipt = await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "delivered" && r.Number("upTo") == 2);
        Assert.Equal(conv, receipt.Str("conv"));
        Assert.Equal(bob.Username, receipt.Str("by"));
        Assert.True(receipt.Number("seq") > 0, receipt.Raw);
        Assert.DoesNotContain(aliceClient.Received, f => f.Type == "receipt" && f.Number("upTo") > 2);
    }

    [Fact]
    public async Task A_partial_ack_gives_a_delivered_receipt_up_to_the_acked_message_only()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        var first = await bobClient.NextEventAsync("message");
        await bobClient.NextEventAsync("message");

        await bobClient.AckAsync(first.Number("seq"));

        var receipt = await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "delivered");
        Assert.Equal(1, receipt.Number("upTo"));
    }

    [Fact]
    public async Task Read_produces_a_read_receipt_for_the_sender()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await bobClient.NextEventAsync("message", m => m.Number("n") == 2);
        await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "delivered" && r.Number("upTo") == 2);

        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 2 });

        var receipt = await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "read");
        Assert.Equal(conv, receipt.Str("conv"));
        Assert.Equal(bob.Username, receipt.Str("by"));
        Assert.Equal(2, receipt.Number("upTo"));
    }

    [Fact]
    public async Task Read_without_an_ack_first_brings_a_delivered_receipt_no_later_than_the_read_one()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob);
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await bobClient.NextEventAsync("message", m => m.Number("n") == 2);

        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 2 });

        var read = await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "read" && r.Number("upTo") == 2);
        var delivered = aliceClient.Received
            .Where(f => f.Type == "receipt" && f.Str("status") == "delivered" && f.Number("upTo") >= 2)
            .ToList();
        Assert.True(delivered.Count > 0, $"no delivered receipt up to 2 before the read one:\n{aliceClient.Dump()}");
        Assert.True(delivered[0].Number("seq") < read.Number("seq"), aliceClient.Dump());
    }

    [Fact]
    public async Task A_read_beyond_the_last_message_is_a_read_receipt_up_to_the_last()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await bobClient.NextEventAsync("message", m => m.Number("n") == 2);

        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 1000 });

        var read = await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "read");
        Assert.Equal(2, read.Number("upTo"));
    }
}
