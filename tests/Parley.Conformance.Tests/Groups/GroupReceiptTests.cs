using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>
/// Aggregated receipts in groups (<c>by: "*"</c>) once every other member has received or read,
/// no per-member receipt events, and per-member detail through <c>receipts</c>.
/// Receipts are inbox events, so they arrive in seq order: the first receipt a sender sees is the
/// earliest one the server emitted, which is how these tests show that none came too early.
/// </summary>
public sealed class GroupReceiptTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task The_sender_gets_one_delivered_receipt_by_star_only_once_every_other_member_has_acked()
    {
        var (_, bob, carol, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            var sent = await aliceClient.SendToGroupAsync(conv);
            var bobs = await bobClient.NextEventAsync("message", m => m.Str("conv") == conv);
            var carols = await carolClient.NextEventAsync("message", m => m.Str("conv") == conv);

            await bobClient.AckAsync(bobs.Number("seq"));
            // bob's ack is processed before his ping reply; carol has not acked yet.
            await bobClient.PingAsync();
            await carolClient.AckAsync(carols.Number("seq"));

            var receipt = await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv);
            Assert.Equal("*", receipt.Str("by"));
            Assert.Equal("delivered", receipt.Str("status"));
            Assert.Equal(sent.Number("n"), receipt.Number("upTo"));
            Assert.True(receipt.Number("seq") > 0, receipt.Raw);
            var detail = await aliceClient.OkAsync(ReceiptsOf(conv, sent.Number("n")));
            SameUsers([bob, carol], detail.Get("delivered"));
        }
    }

    [Fact]
    public async Task No_delivered_receipt_comes_while_one_member_has_not_acked()
    {
        var (_, bob, _, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            // A control group of alice and bob only: the same ack of bob completes it.
            var control = await aliceClient.CreateGroupAsync("Control", bob);
            await aliceClient.SendToGroupAsync(conv);
            await aliceClient.SendToGroupAsync(control);
            await carolClient.NextEventAsync("message", m => m.Str("conv") == conv);
            await bobClient.NextEventAsync("message", m => m.Str("conv") == conv);
            var bobsLast = await bobClient.NextEventAsync("message", m => m.Str("conv") == control);

            await bobClient.AckAsync(bobsLast.Number("seq"));

            // The receipt this ack owes for the control group has come: one for the other group would have come with it.
            var controlReceipt = await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == control);
            Assert.Equal("*", controlReceipt.Str("by"));
            await aliceClient.PingAsync();
            Assert.DoesNotContain(aliceClient.Received, f => f.Type == "receipt" && f.Str("conv") == conv);
            SameUsers([bob], (await aliceClient.OkAsync(ReceiptsOf(conv, 1))).Get("delivered"));
        }
    }

    [Fact]
    public async Task The_sender_gets_a_read_receipt_by_star_once_every_other_member_has_read_and_never_ahead_of_delivered()
    {
        var (_, bob, carol, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            bobClient.AutoAck = true;
            carolClient.AutoAck = true;
            await aliceClient.SendToGroupAsync(conv);
            var second = await aliceClient.SendToGroupAsync(conv);
            await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 2);
            await carolClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 2);

            await bobClient.OkAsync(Read(conv, 2));
            await carolClient.OkAsync(Read(conv, 2));

            var read = await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "read");
            Assert.Equal("*", read.Str("by"));
            Assert.Equal(second.Number("n"), read.Number("upTo"));
            var before = aliceClient.Received
                .Where(f => f.Type == "receipt" && f.Str("conv") == conv && f.Number("seq") < read.Number("seq"))
                .ToList();
            Assert.Contains(before, f => f.Str("status") == "delivered" && f.Number("upTo") >= 2);
            Assert.DoesNotContain(before, f => f.Str("status") == "read");
            var detail = await aliceClient.OkAsync(ReceiptsOf(conv, 2));
            SameUsers([bob, carol], detail.Get("read"));
        }
    }

    [Fact]
    public async Task No_read_receipt_comes_while_one_member_has_not_read()
    {
        var (_, bob, _, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            bobClient.AutoAck = true;
            carolClient.AutoAck = true;
            var control = await aliceClient.CreateGroupAsync("Control", bob);
            await aliceClient.SendToGroupAsync(conv);
            await aliceClient.SendToGroupAsync(control);
            await carolClient.NextEventAsync("message", m => m.Str("conv") == conv);
            await bobClient.NextEventAsync("message", m => m.Str("conv") == control);
            await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "delivered");

            await bobClient.OkAsync(Read(conv, 1));
            await bobClient.OkAsync(Read(control, 1));

            // bob's later read of the control group has produced its receipt: one for his earlier read would be out too.
            await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == control && r.Str("status") == "read");
            await aliceClient.PingAsync();
            Assert.DoesNotContain(aliceClient.Received, f => f.Type == "receipt" && f.Str("conv") == conv && f.Str("status") == "read");
            SameUsers([bob], (await aliceClient.OkAsync(ReceiptsOf(conv, 1))).Get("read"));
        }
    }

    [Fact]
    public async Task The_delivered_receipt_covers_only_what_every_other_member_has_acked()
    {
        var (_, _, _, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            await aliceClient.SendToGroupAsync(conv);
            await aliceClient.SendToGroupAsync(conv);
            await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 1);
            var bobs2 = await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 2);
            var carols1 = await carolClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 1);
            var carols2 = await carolClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 2);

            await bobClient.AckAsync(bobs2.Number("seq"));
            await carolClient.AckAsync(carols1.Number("seq"));

            var first = await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv);
            Assert.Equal("delivered", first.Str("status"));
            Assert.Equal(1, first.Number("upTo"));

            await carolClient.AckAsync(carols2.Number("seq"));

            var second = await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv);
            Assert.Equal("delivered", second.Str("status"));
            Assert.Equal(2, second.Number("upTo"));
        }
    }

    [Fact]
    public async Task Groups_get_no_per_member_receipt_events()
    {
        var (_, _, _, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            bobClient.AutoAck = true;
            carolClient.AutoAck = true;
            await aliceClient.SendToGroupAsync(conv);
            await bobClient.NextEventAsync("message", m => m.Str("conv") == conv);
            await carolClient.NextEventAsync("message", m => m.Str("conv") == conv);
            await bobClient.OkAsync(Read(conv, 1));
            await carolClient.OkAsync(Read(conv, 1));

            await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "read");
            await aliceClient.PingAsync();

            var receipts = aliceClient.Received.Where(f => f.Type == "receipt").ToList();
            Assert.All(receipts, r => Assert.Equal("*", r.Str("by")));
            Assert.DoesNotContain(bobClient.Received, f => f.Type == "receipt");
            Assert.DoesNotContain(carolClient.Received, f => f.Type == "receipt");
        }
    }

    [Fact]
    public async Task Receipts_lists_per_member_delivered_and_read_excluding_the_sender()
    {
        var (alice, bob, carol, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            var sent = await aliceClient.SendToGroupAsync(conv);
            var bobs = await bobClient.NextEventAsync("message", m => m.Str("conv") == conv);
            await carolClient.NextEventAsync("message", m => m.Str("conv") == conv);

            var none = await aliceClient.OkAsync(ReceiptsOf(conv, sent.Number("n")));
            Assert.Empty(Strings(none.Get("delivered")));
            Assert.Empty(Strings(none.Get("read")));

            await bobClient.AckAsync(bobs.Number("seq"));
            await bobClient.PingAsync();
            await carolClient.OkAsync(Read(conv, sent.Number("n")));

            var detail = await aliceClient.OkAsync(ReceiptsOf(conv, sent.Number("n")));
            // carol read without acking: a read implies delivered.
            SameUsers([bob, carol], detail.Get("delivered"));
            SameUsers([carol], detail.Get("read"));
            Assert.DoesNotContain(alice.Username, Strings(detail.Get("delivered")));
            Assert.DoesNotContain(alice.Username, Strings(detail.Get("read")));
        }
    }

    [Fact]
    public async Task Receipts_for_a_message_of_another_member_lists_the_members_other_than_its_sender()
    {
        var (alice, _, _, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            aliceClient.AutoAck = true;
            var sent = await bobClient.SendToGroupAsync(conv);
            await aliceClient.NextEventAsync("message", m => m.Str("id") == sent.Str("id"));
            await aliceClient.OkAsync(Read(conv, sent.Number("n")));

            var detail = await carolClient.OkAsync(ReceiptsOf(conv, sent.Number("n")));

            SameUsers([alice], detail.Get("delivered"));
            SameUsers([alice], detail.Get("read"));
        }
    }

    [Fact]
    public async Task Receipts_of_a_group_one_is_not_a_member_of_is_forbidden()
    {
        var (_, _, _, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            var sent = await aliceClient.SendToGroupAsync(conv);
            var outsider = await Server.NewUserAsync("eve");
            await using var eveClient = await Server.ConnectAsync(outsider);

            IsError(await eveClient.RequestAsync(ReceiptsOf(conv, sent.Number("n"))), "forbidden");
        }
    }

    [Fact]
    public async Task Receipt_events_reach_every_device_of_the_sender_and_only_the_sender()
    {
        var alice = await Server.NewUserAsync("alice");
        var aliceLaptop = await Server.LoginAsync(alice);
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var phone = await Server.ConnectAsync(alice, autoAck: true);
        await using var desk = await Server.ConnectAsync(aliceLaptop, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        var conv = await phone.CreateGroupAsync("Both devices", bob, carol);

        var sent = await phone.SendToGroupAsync(conv);

        foreach (var device in new[] { phone, desk })
        {
            var receipt = await device.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "delivered");
            Assert.Equal("*", receipt.Str("by"));
            Assert.Equal(sent.Number("n"), receipt.Number("upTo"));
        }
    }

    [Fact]
    public async Task When_the_only_member_still_missing_is_removed_the_delivered_receipt_follows()
    {
        var (_, _, carol, conv, aliceClient, bobClient, carolClient) = await GroupOfThreeAsync();
        await using (aliceClient)
        await using (bobClient)
        await using (carolClient)
        {
            var sent = await aliceClient.SendToGroupAsync(conv);
            var bobs = await bobClient.NextEventAsync("message", m => m.Str("conv") == conv);
            await bobClient.AckAsync(bobs.Number("seq"));
            await bobClient.PingAsync();

            // "every current member other than the sender has": once carol is no longer a member, bob is everyone.
            await aliceClient.OkAsync(Remove(conv, carol.Username));

            var receipt = await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "delivered");
            Assert.Equal("*", receipt.Str("by"));
            Assert.Equal(sent.Number("n"), receipt.Number("upTo"));
        }
    }

    /// <summary>alice creates a group with bob and carol; alice auto-acks, bob and carol ack by hand.</summary>
    private async Task<(Session Alice, Session Bob, Session Carol, string Conv, RawClient AliceClient, RawClient BobClient, RawClient CarolClient)> GroupOfThreeAsync()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var bobClient = await Server.ConnectAsync(bob);
        var carolClient = await Server.ConnectAsync(carol);
        var conv = await aliceClient.CreateGroupAsync("Receipts", bob, carol);
        return (alice, bob, carol, conv, aliceClient, bobClient, carolClient);
    }
}
