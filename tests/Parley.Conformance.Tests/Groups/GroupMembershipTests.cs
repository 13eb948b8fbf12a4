using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>group.add and group.remove: admins only, events to every member, and what a removed member loses.</summary>
public sealed class GroupMembershipTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task An_admin_adds_members_and_every_member_including_the_added_ones_gets_an_added_event()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        var dave = await Server.NewUserAsync("dave");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        await using var daveClient = await Server.ConnectAsync(dave, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Add", bob);

        var reply = await aliceClient.OkAsync(Add(conv, carol.Username, dave.Username));

        // The reply's members: read here as the member list after the add; it must at least hold the added users.
        var replied = Strings(reply.Get("members"));
        Assert.Contains(carol.Username, replied);
        Assert.Contains(dave.Username, replied);
        foreach (var client in new[] { aliceClient, bobClient, carolClient, daveClient })
        {
            var added = await client.NextGroupEventAsync(conv, "added");
            Assert.Equal(alice.Username, added.Str("by"));
            SameUsers([carol, dave], added.Get("members"));
        }
        SameUsers([alice, bob, carol, dave], (await bobClient.InfoAsync(conv)).Get("members"));
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_cannot_add_and_nobody_is_added()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Admins only", bob);

        IsError(await bobClient.RequestAsync(Add(conv, carol.Username)), "forbidden");

        SameUsers([alice, bob], (await aliceClient.InfoAsync(conv)).Get("members"));
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        IsError(await carolClient.SendMessageAsync(conv: conv), "forbidden");
    }

    [Fact]
    public async Task An_admin_removes_a_member_and_every_member_including_the_removed_one_gets_a_removed_event()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Remove", bob, carol);

        var reply = await aliceClient.OkAsync(Remove(conv, carol.Username));

        Assert.DoesNotContain(carol.Username, Strings(reply.Get("members")));
        foreach (var client in new[] { aliceClient, bobClient, carolClient })
        {
            var removed = await client.NextGroupEventAsync(conv, "removed");
            Assert.Equal(alice.Username, removed.Str("by"));
            SameUsers([carol], removed.Get("members"));
        }
        SameUsers([alice, bob], (await aliceClient.InfoAsync(conv)).Get("members"));
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_cannot_remove_anyone()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Stay", bob, carol);

        IsError(await bobClient.RequestAsync(Remove(conv, carol.Username)), "forbidden");
        IsError(await bobClient.RequestAsync(Remove(conv, alice.Username)), "forbidden");

        SameUsers([alice, bob, carol], (await aliceClient.InfoAsync(conv)).Get("members"));
    }

    [Fact]
    public async Task A_removed_member_can_no_longer_send()
    {
        var (_, _, conv, aliceClient, bobClient) = await GroupWithRemovedBobAsync();
        await using (aliceClient)
        await using (bobClient)
        {
            IsError(await bobClient.SendMessageAsync(conv: conv, body: "\"after removal\""), "forbidden");

            var next = await aliceClient.SendToGroupAsync(conv);
            Assert.Equal(2, next.Number("n"));
            var history = await aliceClient.OkAsync(History(conv));
            Assert.DoesNotContain("after removal", history.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_removed_member_can_no_longer_read_history()
    {
        var (_, _, conv, aliceClient, bobClient) = await GroupWithRemovedBobAsync();
        await using (aliceClient)
        await using (bobClient)
        {
            var history = await bobClient.RequestAsync(History(conv));

            IsError(history, "forbidden");
            Assert.DoesNotContain("before removal", history.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_removed_member_does_not_receive_new_messages_live_or_on_reconnect()
    {
        var (alice, bob, conv, aliceClient, bobClient) = await GroupWithRemovedBobAsync();
        await using (aliceClient)
        {
            await using (bobClient)
            {
                await aliceClient.SendToGroupAsync(conv, "\"secret after removal\"");
                // bob's inbox is delivered in seq order: once this later direct message is in, an earlier group message would be too.
                var sentinel = await aliceClient.SendOkAsync(bob.Username, "\"sentinel\"");
                await bobClient.NextEventAsync("message", m => m.Str("id") == sentinel.Str("id"));
                await bobClient.PingAsync();

                Assert.DoesNotContain(bobClient.Received, f => f.Raw.Contains("secret after removal", StringComparison.Ordinal));
            }

            await using var again = await Server.ConnectAsync(bob, after: 0, autoAck: true);
            var replayedSentinel = await again.NextEventAsync("message", m => m.Str("conv") == Names.Direct(alice.Username, bob.Username));
            await again.PingAsync();
            Assert.DoesNotContain(again.Received, f => f.Raw.Contains("secret after removal", StringComparison.Ordinal));
            Assert.Equal("sentinel", replayedSentinel.Str("body"));
        }
    }

    [Fact]
    public async Task A_member_removed_and_added_again_sees_only_the_messages_of_the_times_of_membership()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Gap", bob);
        await aliceClient.SendToGroupAsync(conv, "\"one\"");
        await aliceClient.OkAsync(Remove(conv, bob.Username));
        await aliceClient.SendToGroupAsync(conv, "\"two, while bob was out\"");
        await aliceClient.OkAsync(Add(conv, bob.Username));
        await aliceClient.SendToGroupAsync(conv, "\"three\"");
        await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 3);

        var history = await bobClient.OkAsync(History(conv));

        var numbers = history.Get("messages").EnumerateArray().Select(m => m.GetProperty("n").GetInt64()).ToList();
        Assert.Equal([1L, 3], numbers);
        Assert.Equal([1L, 3], MessageNumbers(bobClient, conv));
    }

    /// <summary>alice creates a group with bob, sends one message, then removes bob (both saw the removal).</summary>
    private async Task<(Session Alice, Session Bob, string Conv, RawClient AliceClient, RawClient BobClient)> GroupWithRemovedBobAsync()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Removal", bob);
        await aliceClient.SendToGroupAsync(conv, "\"before removal\"");
        await bobClient.NextEventAsync("message", m => m.Str("conv") == conv);
        await aliceClient.OkAsync(Remove(conv, bob.Username));
        await bobClient.NextGroupEventAsync(conv, "removed");
        return (alice, bob, conv, aliceClient, bobClient);
    }
}
