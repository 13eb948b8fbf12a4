using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Groups;
using Parley.Conformance.Tests.Harness;
using Parley.Conformance.Tests.Reactions;

namespace Parley.Conformance.Tests.Blocking;

/// <summary>
/// v1.1 blocking, from the protocol text: <c>block</c>/<c>unblock</c>/<c>blocked</c>; while alice blocks bob, bob's direct
/// sends are accepted but never reach alice (events, history, unread, receipts, not even after unblocking), nor do his
/// reactions and edits there; bob sees alice offline with no last seen, his typing does not reach her, and he cannot put
/// her in a group. Blocking is one-way.
/// </summary>
public sealed class BlockingTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task Block_and_unblock_are_idempotent_and_blocked_lists_the_blocked_users()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob", "carol");
        var ((alice, aliceClient), (bob, _), (carol, _)) = users;

        Assert.Empty(await aliceClient.BlockedAsync());
        Assert.True((await aliceClient.BlockAsync(carol.Username)).IsOk);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);
        Assert.Equal(new[] { bob.Username, carol.Username }.Order(StringComparer.Ordinal), await aliceClient.BlockedAsync());

        Assert.True((await aliceClient.UnblockAsync(bob.Username)).IsOk);
        Assert.True((await aliceClient.UnblockAsync(bob.Username)).IsOk);
        Assert.Equal([carol.Username], await aliceClient.BlockedAsync());
    }

    [Fact]
    public async Task A_block_belongs_to_the_account_and_every_device_sees_it()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var laptop = await Server.ConnectAsync(alice);
        await using var phone = await Server.ConnectAsync(await Server.LoginAsync(alice));

        Assert.True((await laptop.BlockAsync(bob.Username)).IsOk);

        Assert.Equal([bob.Username], await phone.BlockedAsync());
    }

    [Fact]
    public async Task Blocking_oneself_is_bad_request_and_an_unknown_user_not_found()
    {
        await using var users = await Server.ConnectUsersAsync("alice");
        var alice = users[0];

        foreach (var reply in new[] { await alice.Client.BlockAsync(alice.Session.Username), await alice.Client.UnblockAsync(alice.Session.Username) })
        {
            Assert.Equal("bad_request", reply.Str("code"));
        }
        foreach (var reply in new[] { await alice.Client.BlockAsync("nobody_" + Names.Random()), await alice.Client.UnblockAsync("nobody_" + Names.Random()) })
        {
            Assert.Equal("not_found", reply.Str("code"));
        }
        Assert.Empty(await alice.Client.BlockedAsync());
    }

    [Theory]
    [InlineData("""{"type":"block"}""")]
    [InlineData("""{"type":"block","user":7}""")]
    [InlineData("""{"type":"unblock","user":["bob"]}""")]
    [InlineData("""{"type":"unblock"}""")]
    public async Task A_malformed_block_or_unblock_is_one_bad_request(string frame)
    {
        await using var users = await Server.ConnectUsersAsync("alice");

        var reply = await users[0].Client.OnlyReplyAsync(frame);

        Assert.Equal("bad_request", reply.Str("code"));
    }

    [Fact]
    public async Task A_blocked_users_send_is_accepted_and_synced_to_his_devices_but_never_reaches_the_blocker()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var bobPhone = await Server.ConnectAsync(await Server.LoginAsync(bob), autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await bobClient.SendOkAsync(alice.Username, "\"before\"");
        await aliceClient.NextEventAsync("message", f => f.Str("conv") == conv);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        var sent = await bobClient.SendOkAsync(alice.Username, "\"hidden\"");

        Assert.Equal(2, sent.Number("n"));
        var synced = await bobPhone.NextEventAsync("message", f => f.Str("conv") == conv && f.Number("n") == 2);
        Assert.Equal(bob.Username, synced.Str("from"));
        Assert.Equal([1L, 2L], await bobClient.HistoryNsAsync(conv));
        // Alice's own send lands in her inbox after bob's: had his been delivered, it would have come first.
        await aliceClient.SendOkAsync(bob.Username, "\"fence\"");
        Assert.Empty(aliceClient.Untaken(f => f.Type == "message" && f.Str("from") == bob.Username));
        Assert.Equal([1L, 3L], await aliceClient.HistoryNsAsync(conv));
    }

    [Fact]
    public async Task Hidden_messages_are_not_counted_in_unread_and_produce_no_receipts()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob);
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"hi bob\"");
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        await bobClient.SendOkAsync(alice.Username, "\"one\"");
        await bobClient.SendOkAsync(alice.Username, "\"two\"");

        var entry = await aliceClient.ConvAsync(conv);
        Assert.Equal(0, entry.GetProperty("unread").GetInt64());
        // Alice reads everything there is (the conversation's last n), and a device of hers has acked all it got.
        Assert.True((await aliceClient.RequestAsync(GroupWire.Read(conv, 3))).IsOk);
        // A message from alice after the read: bob receives it after any receipt the read made.
        await aliceClient.SendOkAsync(bob.Username, "\"fence\"");
        await bobClient.NextEventAsync("message", f => f.Str("from") == alice.Username && f.Number("n") == 4);
        Assert.Empty(bobClient.Untaken(f => f.Type == "receipt"));
    }

    [Fact]
    public async Task Hidden_messages_are_not_delivered_after_unblocking()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var conv = Names.Direct(alice.Username, bob.Username);
        await using (var aliceClient = await Server.ConnectAsync(alice, autoAck: true))
        {
            Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);
        }
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await bobClient.SendOkAsync(alice.Username, "\"while blocked\"");

        await using var again = await Server.ConnectAsync(alice, after: 0, autoAck: true);
        Assert.True((await again.UnblockAsync(bob.Username)).IsOk);
        await bobClient.SendOkAsync(alice.Username, "\"after\"");

        var after = await again.NextEventAsync("message", f => f.Str("conv") == conv);
        Assert.Equal(2, after.Number("n"));
        Assert.Empty(again.Untaken(f => f.Type == "message"));
        Assert.Equal([2L], await again.HistoryNsAsync(conv));
        await using var fresh = await Server.ConnectAsync(await Server.LoginAsync(alice), after: 0);
        var replayed = await fresh.NextEventAsync("message", f => f.Str("conv") == conv);
        Assert.Equal(2, replayed.Number("n"));
    }

    [Fact]
    public async Task A_blocked_users_reactions_and_edits_are_accepted_but_never_shown_to_the_blocker()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"alice 1\"");
        await bobClient.SendOkAsync(alice.Username, "\"bob 2\"");
        await aliceClient.NextEventAsync("message", f => f.Str("from") == bob.Username);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        Assert.True((await bobClient.ReactAsync(conv, 1, "👎")).IsOk);
        var edit = await bobClient.RequestAsync(new JsonObject { ["type"] = "edit", ["conv"] = conv, ["n"] = 2, ["body"] = "bob 2, edited" });
        Assert.True(edit.IsOk, edit.Raw);

        // Bob's own devices are told as usual.
        await bobClient.NextReactionAsync(conv);
        await bobClient.NextEventAsync("edited", f => f.Str("conv") == conv);
        await aliceClient.SendOkAsync(bob.Username, "\"fence\"");
        Assert.Empty(aliceClient.Untaken(f => f.Type is "reaction" or "edited"));
        Assert.Empty(await aliceClient.ReactionsInHistoryAsync(conv, 1));
        Assert.Equal([(bob.Username, "👎")], await bobClient.ReactionsInHistoryAsync(conv, 1));
        var hers = await aliceClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        var second = hers.Get("messages").EnumerateArray().Single(m => m.GetProperty("n").GetInt64() == 2);
        Assert.Equal("bob 2", second.GetProperty("body").GetString());
        Assert.False(second.TryGetProperty("editedAt", out _));
    }

    [Fact]
    public async Task Blocking_is_one_way_and_the_blockers_sends_and_reactions_are_delivered()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        await aliceClient.SendOkAsync(bob.Username, "\"still talking\"");
        var message = await bobClient.NextEventAsync("message", f => f.Str("conv") == conv);
        Assert.Equal("still talking", message.Get("body").GetString());
        Assert.True((await aliceClient.ReactAsync(conv, 1, "🙂")).IsOk);
        Assert.Equal("🙂", (await bobClient.NextReactionAsync(conv)).Str("emoji"));
    }

    [Fact]
    public async Task Typing_from_a_blocked_user_does_not_reach_the_blocker()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var withBob = Names.Direct(alice.Username, bob.Username);
        var withCarol = Names.Direct(alice.Username, carol.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(carol.Username);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        Assert.True((await bobClient.RequestAsync(new JsonObject { ["type"] = "typing", ["conv"] = withBob, ["state"] = "composing" })).IsOk);
        Assert.True((await carolClient.RequestAsync(new JsonObject { ["type"] = "typing", ["conv"] = withCarol, ["state"] = "composing" })).IsOk);

        // Carol's typing, relayed after bob's, arrives; bob's never does.
        await aliceClient.NextAsync(f => f.Type == "typing" && f.Str("conv") == withCarol);
        await aliceClient.PingAsync();
        Assert.Empty(aliceClient.Untaken(f => f.Type == "typing" && f.Str("conv") == withBob));
    }

    [Fact]
    public async Task A_blocked_user_cannot_create_a_group_with_the_blocker_or_add_them()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, _)) = users;
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        var create = await bobClient.RequestAsync(GroupWire.Create("no", alice.Username, carol.Username));
        Assert.Equal("forbidden", create.Str("code"));

        var group = await bobClient.CreateGroupAsync("bob's", carol);
        var add = await bobClient.RequestAsync(GroupWire.Add(group, alice.Username));
        Assert.Equal("forbidden", add.Str("code"));
        var info = await bobClient.InfoAsync(group);
        Assert.DoesNotContain(alice.Username, info.Get("members").EnumerateArray().Select(m => m.GetString()));
        await aliceClient.PingAsync();
        Assert.Empty(aliceClient.Untaken(f => f.Type == "group"));

        // One-way: alice may put bob in a group.
        var hers = await aliceClient.CreateGroupAsync("alice's", bob);
        Assert.StartsWith("g:", hers);
    }

    [Fact]
    public async Task Groups_they_already_share_are_unaffected()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var group = await bobClient.CreateGroupAsync("shared", alice);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        await bobClient.SendToGroupAsync(group, "\"to the group\"");

        var message = await aliceClient.NextEventAsync("message", f => f.Str("conv") == group);
        Assert.Equal(bob.Username, message.Str("from"));
        Assert.Equal([1L], await aliceClient.HistoryNsAsync(group));
    }
}
