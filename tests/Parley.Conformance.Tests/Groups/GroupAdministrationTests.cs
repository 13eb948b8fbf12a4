using System.Text.Json;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>group.rename, group.admin and group.leave, with their events, and the admin handover.</summary>
public sealed class GroupAdministrationTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task An_admin_renames_the_group_and_every_member_gets_a_renamed_event()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Before", bob);

        await aliceClient.OkAsync(Rename(conv, "After"));

        foreach (var client in new[] { aliceClient, bobClient })
        {
            var renamed = await client.NextGroupEventAsync(conv, "renamed");
            Assert.Equal("After", renamed.Str("name"));
            Assert.Equal(alice.Username, renamed.Str("by"));
        }
        Assert.Equal("After", (await bobClient.InfoAsync(conv)).Str("name"));
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_cannot_rename()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Kept", bob);

        IsError(await bobClient.RequestAsync(Rename(conv, "Hijacked")), "forbidden");

        Assert.Equal("Kept", (await aliceClient.InfoAsync(conv)).Str("name"));
        // alice's inbox: a renamed event would come before this later message.
        var later = await bobClient.SendToGroupAsync(conv);
        await aliceClient.NextEventAsync("message", m => m.Str("id") == later.Str("id"));
        Assert.DoesNotContain(aliceClient.Received, f => f.Type == "group" && f.Str("event") == "renamed");
    }

    [Fact]
    public async Task An_admin_grants_admin_and_every_member_gets_an_admin_event_with_admin_true()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Grant", bob, carol);

        var reply = await aliceClient.OkAsync(Admin(conv, bob.Username, admin: true));

        SameUsers([alice, bob], reply.Get("admins"));
        foreach (var client in new[] { aliceClient, bobClient, carolClient })
        {
            var admin = await client.NextGroupEventAsync(conv, "admin");
            Assert.Equal(bob.Username, admin.Str("member"));
            Assert.True(admin.Get("admin").GetBoolean(), admin.Raw);
            Assert.Equal(alice.Username, admin.Str("by"));
        }
        SameUsers([alice, bob], (await carolClient.InfoAsync(conv)).Get("admins"));
    }

    [Fact]
    public async Task A_granted_admin_can_add_rename_and_remove()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Delegate", bob);
        await aliceClient.OkAsync(Admin(conv, bob.Username, admin: true));

        await bobClient.OkAsync(Add(conv, carol.Username));
        await bobClient.OkAsync(Rename(conv, "Bob's now"));
        await bobClient.OkAsync(Remove(conv, carol.Username));

        var info = await aliceClient.InfoAsync(conv);
        Assert.Equal("Bob's now", info.Str("name"));
        SameUsers([alice, bob], info.Get("members"));
    }

    [Fact]
    public async Task An_admin_revokes_admin_and_the_former_admin_can_no_longer_change_the_group()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Revoke", bob);
        await aliceClient.OkAsync(Admin(conv, bob.Username, admin: true));
        await bobClient.NextGroupEventAsync(conv, "admin");

        var reply = await aliceClient.OkAsync(Admin(conv, bob.Username, admin: false));

        SameUsers([alice], reply.Get("admins"));
        foreach (var client in new[] { aliceClient, bobClient })
        {
            var revoked = await client.NextEventAsync(
                "group", f => f.Str("conv") == conv && f.Str("event") == "admin" && f.Get("admin").ValueKind == JsonValueKind.False);
            Assert.Equal(bob.Username, revoked.Str("member"));
            Assert.False(revoked.Get("admin").GetBoolean(), revoked.Raw);
        }
        IsError(await bobClient.RequestAsync(Add(conv, carol.Username)), "forbidden");
        IsError(await bobClient.RequestAsync(Rename(conv, "No")), "forbidden");
        SameUsers([alice], (await bobClient.InfoAsync(conv)).Get("admins"));
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_cannot_grant_admin_even_to_themselves()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("No coup", bob, carol);

        IsError(await bobClient.RequestAsync(Admin(conv, bob.Username, admin: true)), "forbidden");
        IsError(await bobClient.RequestAsync(Admin(conv, carol.Username, admin: true)), "forbidden");
        IsError(await bobClient.RequestAsync(Admin(conv, alice.Username, admin: false)), "forbidden");

        SameUsers([alice], (await aliceClient.InfoAsync(conv)).Get("admins"));
    }

    [Fact]
    public async Task A_member_leaves_and_every_member_including_the_leaver_gets_a_left_event()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Leave", bob, carol);

        await carolClient.OkAsync(Leave(conv));

        foreach (var client in new[] { aliceClient, bobClient, carolClient })
        {
            var left = await client.NextGroupEventAsync(conv, "left");
            Assert.Equal(carol.Username, left.Str("member"));
        }
        SameUsers([alice, bob], (await aliceClient.InfoAsync(conv)).Get("members"));
        IsError(await carolClient.SendMessageAsync(conv: conv), "forbidden");
        IsError(await carolClient.RequestAsync(History(conv)), "forbidden");
    }

    [Fact]
    public async Task When_the_last_admin_leaves_the_longest_standing_member_becomes_admin()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol", "dave");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient), (dave, daveClient)) = users;
        // Joining order: alice (creator), bob (at creation), then carol, then dave.
        var conv = await aliceClient.CreateGroupAsync("Handover", bob);
        await aliceClient.OkAsync(Add(conv, carol.Username));
        await aliceClient.OkAsync(Add(conv, dave.Username));

        await aliceClient.OkAsync(Leave(conv));

        foreach (var client in new[] { bobClient, carolClient, daveClient })
        {
            var left = await client.NextGroupEventAsync(conv, "left");
            Assert.Equal(alice.Username, left.Str("member"));
            var admin = await client.NextGroupEventAsync(conv, "admin");
            Assert.Equal(bob.Username, admin.Str("member"));
            Assert.True(admin.Get("admin").GetBoolean(), admin.Raw);
        }
        await aliceClient.NextGroupEventAsync(conv, "left");
        var info = await carolClient.InfoAsync(conv);
        SameUsers([bob], info.Get("admins"));
        SameUsers([bob, carol, dave], info.Get("members"));
        await bobClient.OkAsync(Rename(conv, "Bob runs it"));
    }

    [Fact]
    public async Task When_the_longest_standing_member_was_added_after_others_were_removed_it_is_still_the_earliest_remaining_one()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        var dave = await Server.NewUserAsync("dave");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var daveClient = await Server.ConnectAsync(dave, autoAck: true);
        // bob joins first, then carol, then dave; bob is removed and added again, so he is now the newest.
        var conv = await aliceClient.CreateGroupAsync("Seniority", bob);
        await aliceClient.OkAsync(Add(conv, carol.Username));
        await aliceClient.OkAsync(Add(conv, dave.Username));
        await aliceClient.OkAsync(Remove(conv, bob.Username));
        await aliceClient.OkAsync(Add(conv, bob.Username));

        await aliceClient.OkAsync(Leave(conv));

        var admin = await daveClient.NextGroupEventAsync(conv, "admin");
        Assert.Equal(carol.Username, admin.Str("member"));
        Assert.True(admin.Get("admin").GetBoolean(), admin.Raw);
        SameUsers([carol], (await daveClient.InfoAsync(conv)).Get("admins"));
    }

    [Fact]
    public async Task When_an_admin_leaves_while_another_admin_remains_nobody_is_promoted()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Two admins", bob);
        await aliceClient.OkAsync(Add(conv, carol.Username));
        await aliceClient.OkAsync(Admin(conv, carol.Username, admin: true));
        await carolClient.NextGroupEventAsync(conv, "admin");

        await aliceClient.OkAsync(Leave(conv));

        await carolClient.NextGroupEventAsync(conv, "left");
        // carol's inbox is in seq order: a promotion caused by the leave would come before this later message.
        var later = await carolClient.SendToGroupAsync(conv);
        await carolClient.NextEventAsync("message", m => m.Str("id") == later.Str("id"));
        Assert.Empty(carolClient.Untaken(f => f.Type == "group" && f.Str("event") == "admin"));
        SameUsers([carol], (await carolClient.InfoAsync(conv)).Get("admins"));
    }
}
