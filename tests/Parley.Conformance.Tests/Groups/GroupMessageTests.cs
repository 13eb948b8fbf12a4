using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>Messages in a group: every member, every device, one order; only while a member.</summary>
public sealed class GroupMessageTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_group_message_reaches_every_member_with_the_fields_of_the_reply_and_the_body_byte_for_byte()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Fields", bob, carol);
        const string Body = "{ \"b\" : 1.50, \"a\":\"\\u00e9\" }";
        var cid = RawClient.NewCid();

        var reply = await aliceClient.SendOkAsync(conv: conv, body: Body, cid: cid);

        Assert.Equal(conv, reply.Str("conv"));
        Assert.Equal(1, reply.Number("n"));
        foreach (var client in new[] { aliceClient, bobClient, carolClient })
        {
            var message = await client.NextEventAsync("message", m => m.Str("conv") == conv);
            Assert.Equal(reply.Str("id"), message.Str("id"));
            Assert.Equal(1, message.Number("n"));
            Assert.Equal(alice.Username, message.Str("from"));
            Assert.Equal(cid, message.Str("cid"));
            Assert.Equal("text", message.Str("kind"));
            Assert.Equal(reply.Number("ts"), message.Number("ts"));
            Assert.Equal(Body, RawJson.Value(message.Raw, "body"));
        }
    }

    [Fact]
    public async Task Every_device_of_every_member_gets_every_message_once_in_the_same_n_order()
    {
        var alice = await Server.NewUserAsync("alice");
        var aliceLaptop = await Server.LoginAsync(alice);
        var bob = await Server.NewUserAsync("bob");
        var bobLaptop = await Server.LoginAsync(bob);
        var carol = await Server.NewUserAsync("carol");
        await using var alicePhone = await Server.ConnectAsync(alice, autoAck: true);
        await using var aliceDesk = await Server.ConnectAsync(aliceLaptop, autoAck: true);
        await using var bobPhone = await Server.ConnectAsync(bob, autoAck: true);
        await using var bobDesk = await Server.ConnectAsync(bobLaptop, autoAck: true);
        await using var carolPhone = await Server.ConnectAsync(carol, autoAck: true);
        var conv = await alicePhone.CreateGroupAsync("Devices", bob, carol);
        var senders = new[] { alicePhone, bobDesk, carolPhone, aliceDesk, bobPhone, carolPhone };

        // Sent concurrently from several devices: the server picks the order, and everyone must see that one.
        var replies = await Task.WhenAll(senders.Select((s, i) => s.SendToGroupAsync(conv, $"\"m{i}\"")));

        Assert.Equal(Enumerable.Range(1, senders.Length).Select(i => (long)i), replies.Select(r => r.Number("n")).Order());
        var idsInN = replies.OrderBy(r => r.Number("n")).Select(r => r.Str("id")).ToList();
        foreach (var device in new[] { alicePhone, aliceDesk, bobPhone, bobDesk, carolPhone })
        {
            var events = new List<Frame>();
            for (var i = 0; i < senders.Length; i++) events.Add(await device.NextEventAsync("message", m => m.Str("conv") == conv));
            await device.PingAsync();
            Assert.Equal(Enumerable.Range(1, senders.Length).Select(i => (long)i), events.Select(e => e.Number("n")));
            Assert.Equal(idsInN, events.Select(e => e.Str("id")));
            Assert.Empty(device.Untaken(f => f.Type == "message"));
        }
    }

    [Fact]
    public async Task A_member_offline_while_messages_are_sent_gets_them_in_order_on_connect()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Offline", bob, carol);
        var replies = new List<Frame>
        {
            await aliceClient.SendToGroupAsync(conv, "\"a1\""),
            await bobClient.SendToGroupAsync(conv, "\"b2\""),
            await aliceClient.SendToGroupAsync(conv, "\"a3\""),
        };

        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);

        var created = await carolClient.NextGroupEventAsync(conv, "created");
        var events = new List<Frame>();
        for (var i = 0; i < 3; i++) events.Add(await carolClient.NextEventAsync("message", m => m.Str("conv") == conv));
        Assert.Equal([1L, 2, 3], events.Select(e => e.Number("n")));
        Assert.Equal(replies.Select(r => r.Str("id")), events.Select(e => e.Str("id")));
        Assert.Equal(["\"a1\"", "\"b2\"", "\"a3\""], events.Select(e => RawJson.Value(e.Raw, "body")));
        Assert.True(created.Number("seq") < events[0].Number("seq"), carolClient.Dump());
    }

    [Fact]
    public async Task A_member_added_later_does_not_see_earlier_messages_in_history_or_as_events()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Late joiner", bob);
        await aliceClient.SendToGroupAsync(conv, "\"early one\"");
        await aliceClient.SendToGroupAsync(conv, "\"early two\"");

        await aliceClient.OkAsync(Add(conv, carol.Username));
        var after = await aliceClient.SendToGroupAsync(conv, "\"welcome carol\"");

        var message = await carolClient.NextEventAsync("message", m => m.Str("conv") == conv);
        Assert.Equal(after.Str("id"), message.Str("id"));
        Assert.Equal(3, message.Number("n"));
        var history = await carolClient.OkAsync(History(conv));
        Assert.Equal([3L], history.Get("messages").EnumerateArray().Select(m => m.GetProperty("n").GetInt64()));
        Assert.DoesNotContain(carolClient.Received, f => f.Raw.Contains("early", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Members_history_holds_every_message_of_their_membership_in_ascending_n()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("History", bob);
        var r1 = await aliceClient.SendToGroupAsync(conv, "\"one\"");
        var r2 = await bobClient.SendToGroupAsync(conv, "{\"two\":2}");

        foreach (var client in new[] { aliceClient, bobClient })
        {
            var history = await client.OkAsync(History(conv));
            var messages = history.Get("messages").EnumerateArray().ToList();
            Assert.Equal([1L, 2], messages.Select(m => m.GetProperty("n").GetInt64()));
            Assert.Equal([r1.Str("id"), r2.Str("id")], messages.Select(m => m.GetProperty("id").GetString()));
            Assert.Equal([alice.Username, bob.Username], messages.Select(m => m.GetProperty("from").GetString()));
            Assert.Equal(["\"one\"", "{\"two\":2}"], RawJson.Values(history.Raw, "body"));
        }
    }

    [Fact]
    public async Task Resending_a_cid_into_a_group_returns_the_first_reply_as_a_duplicate_and_delivers_nothing_new()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Dup", bob);
        var cid = RawClient.NewCid();

        var first = await aliceClient.SendOkAsync(conv: conv, cid: cid);
        var again = await aliceClient.SendOkAsync(conv: conv, cid: cid);
        var next = await aliceClient.SendToGroupAsync(conv);

        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal(1, again.Number("n"));
        Assert.True(again.Get("duplicate").GetBoolean(), again.Raw);
        Assert.Equal(2, next.Number("n"));
        await bobClient.NextEventAsync("message", m => m.Str("id") == next.Str("id"));
        Assert.Equal([1L, 2], MessageNumbers(bobClient, conv));
    }
}
