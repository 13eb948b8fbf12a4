using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>group.create, the created event, group.info and the group in convs.</summary>
public sealed class GroupCreationTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Creating_a_group_replies_with_its_conv_all_members_and_the_creator_as_the_only_admin()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);

        var reply = await client.OkAsync(Create("Trip", bob.Username, carol.Username));

        Assert.StartsWith("g:", reply.Str("conv"), StringComparison.Ordinal);
        Assert.True(reply.Str("conv")!.Length > 2, reply.Raw);
        SameUsers([alice, bob, carol], reply.Get("members"));
        SameUsers([alice], reply.Get("admins"));
    }

    [Fact]
    public async Task Two_groups_get_different_conv_ids()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);

        var first = await client.CreateGroupAsync("Same name", bob);
        var second = await client.CreateGroupAsync("Same name", bob);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Every_member_and_every_device_of_the_creator_gets_a_created_event_with_members_and_name()
    {
        var alice = await Server.NewUserAsync("alice");
        var aliceLaptop = await Server.LoginAsync(alice);
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var laptopClient = await Server.ConnectAsync(aliceLaptop, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);

        var conv = await aliceClient.CreateGroupAsync("Book club ✓", bob, carol);

        foreach (var client in new[] { aliceClient, laptopClient, bobClient, carolClient })
        {
            var created = await client.NextGroupEventAsync(conv, "created");
            Assert.Equal("Book club ✓", created.Str("name"));
            Assert.Equal(alice.Username, created.Str("by"));
            Assert.True(created.Number("seq") > 0, created.Raw);
            SameUsers([alice, bob, carol], created.Get("members"));
        }
    }

    [Fact]
    public async Task A_member_offline_at_creation_gets_the_created_event_when_connecting()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Later", bob);

        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);

        var created = await bobClient.NextGroupEventAsync(conv, "created");
        Assert.Equal("Later", created.Str("name"));
        SameUsers([alice, bob], created.Get("members"));
    }

    [Fact]
    public async Task Group_info_gives_name_members_admins_and_a_null_retention()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Info", bob);

        foreach (var client in new[] { aliceClient, bobClient })
        {
            var info = await client.InfoAsync(conv);
            Assert.Equal("Info", info.Str("name"));
            SameUsers([alice, bob], info.Get("members"));
            SameUsers([alice], info.Get("admins"));
            Assert.Equal(JsonValueKind.Null, info.Get("retention").ValueKind);
        }
    }

    [Fact]
    public async Task A_name_of_exactly_100_characters_is_accepted_and_kept()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var name = new string('n', 100);

        var conv = await client.CreateGroupAsync(name, bob);

        Assert.Equal(name, (await client.InfoAsync(conv)).Str("name"));
    }

    [Fact]
    public async Task Convs_lists_a_new_group_for_every_member_with_kind_group_name_and_members()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Listed", bob);

        foreach (var client in new[] { aliceClient, bobClient })
        {
            var group = SingleConv(await client.OkAsync(new JsonObject { ["type"] = "convs" }), conv);
            Assert.Equal("group", group.GetProperty("kind").GetString());
            Assert.Equal("Listed", group.GetProperty("name").GetString());
            SameUsers([alice, bob], group.GetProperty("members"));
            Assert.Equal(0, group.GetProperty("lastN").GetInt64());
            Assert.Equal(0, group.GetProperty("unread").GetInt64());
            Assert.Equal(JsonValueKind.Null, group.GetProperty("retention").ValueKind);
        }
    }

    [Fact]
    public async Task Convs_counts_a_groups_messages_and_unread_ones_per_member()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Counted", bob, carol);
        await aliceClient.SendToGroupAsync(conv);
        await aliceClient.SendToGroupAsync(conv);
        await bobClient.SendToGroupAsync(conv);
        await bobClient.OkAsync(Read(conv, 1));

        var bobs = SingleConv(await bobClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);
        var alices = SingleConv(await aliceClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);

        Assert.Equal(3, bobs.GetProperty("lastN").GetInt64());
        Assert.Equal(1, bobs.GetProperty("readUpTo").GetInt64());
        // alice's n = 2 is unread for bob; his own n = 3 is not.
        Assert.Equal(1, bobs.GetProperty("unread").GetInt64());
        Assert.Equal(3, alices.GetProperty("lastN").GetInt64());
        // bob's n = 3 is unread for alice; her own messages never are.
        Assert.Equal(1, alices.GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task Convs_shows_the_new_name_after_a_rename()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Old", bob);
        await aliceClient.SendToGroupAsync(conv);

        await aliceClient.OkAsync(Rename(conv, "New"));

        var group = SingleConv(await aliceClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);
        Assert.Equal("New", group.GetProperty("name").GetString());
    }

    internal static JsonElement SingleConv(Frame reply, string conv)
    {
        var matching = reply.Get("conversations").EnumerateArray()
            .Where(c => c.GetProperty("conv").GetString() == conv)
            .ToList();
        Assert.True(matching.Count == 1, $"expected {conv} once in {reply.Raw}");
        return matching[0];
    }
}
