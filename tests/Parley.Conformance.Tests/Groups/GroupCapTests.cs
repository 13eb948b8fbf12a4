using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>
/// limits.maxGroupMembers counts the creator; going past it is group_full and adds nobody.
/// The server here allows <see cref="SmallGroupServer.MaxMembers"/> (5) members.
/// </summary>
public sealed class GroupCapTests(SmallGroupServer fixture) : IClassFixture<SmallGroupServer>
{
    private const int Max = SmallGroupServer.MaxMembers;

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Welcome_announces_the_configured_max_group_members()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        Assert.Equal(Max, client.Welcome!.Get("limits").GetProperty("maxGroupMembers").GetInt32());
    }

    [Fact]
    public async Task A_group_of_exactly_the_maximum_counting_the_creator_can_be_created()
    {
        var alice = await Server.NewUserAsync("alice");
        var others = await UsersAsync(Max - 1);
        await using var client = await Server.ConnectAsync(alice, autoAck: true);

        var conv = await client.CreateGroupAsync("Full house", [.. others]);

        SameUsers([alice, .. others], (await client.InfoAsync(conv)).Get("members"));
    }

    [Fact]
    public async Task Creating_a_group_one_past_the_maximum_is_group_full_and_creates_nothing()
    {
        var alice = await Server.NewUserAsync("alice");
        var others = await UsersAsync(Max);
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var firstClient = await Server.ConnectAsync(others[0], autoAck: true);

        var reply = await aliceClient.RequestAsync(Create("Too many", [.. others.Select(o => o.Username)]));

        IsError(reply, "group_full");
        var convs = await aliceClient.OkAsync(new JsonObject { ["type"] = "convs" });
        Assert.DoesNotContain(convs.Get("conversations").EnumerateArray(), c => c.GetProperty("kind").GetString() == "group");
        // The would-be member's inbox: a created event would come before this later message.
        var later = await aliceClient.SendOkAsync(others[0].Username, "\"barrier\"");
        await firstClient.NextEventAsync("message", m => m.Str("id") == later.Str("id"));
        Assert.DoesNotContain(firstClient.Received, f => f.Type == "group");
    }

    [Fact]
    public async Task Adding_one_member_to_a_full_group_is_group_full_and_the_members_stay_the_same()
    {
        var alice = await Server.NewUserAsync("alice");
        var others = await UsersAsync(Max - 1);
        var extra = await Server.NewUserAsync("extra");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = await client.CreateGroupAsync("Full", [.. others]);

        IsError(await client.RequestAsync(Add(conv, extra.Username)), "group_full");

        SameUsers([alice, .. others], (await client.InfoAsync(conv)).Get("members"));
        await using var extraClient = await Server.ConnectAsync(extra);
        IsError(await extraClient.SendMessageAsync(conv: conv), "forbidden");
    }

    [Fact]
    public async Task Adding_more_members_than_the_places_left_is_group_full_and_adds_none_of_them()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var newcomers = await UsersAsync(Max - 1);
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Almost", bob);

        // Two members, three places left, four asked for.
        IsError(await aliceClient.RequestAsync(Add(conv, [.. newcomers.Select(n => n.Username)])), "group_full");

        SameUsers([alice, bob], (await aliceClient.InfoAsync(conv)).Get("members"));
        var later = await aliceClient.SendToGroupAsync(conv);
        await bobClient.NextEventAsync("message", m => m.Str("id") == later.Str("id"));
        Assert.DoesNotContain(bobClient.Received, f => f.Type == "group" && f.Str("event") == "added");
    }

    [Fact]
    public async Task A_place_freed_by_a_leaving_member_can_be_filled_again()
    {
        var alice = await Server.NewUserAsync("alice");
        var others = await UsersAsync(Max - 1);
        var extra = await Server.NewUserAsync("extra");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var leaverClient = await Server.ConnectAsync(others[0], autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Rotation", [.. others]);
        await leaverClient.OkAsync(Leave(conv));

        await aliceClient.OkAsync(Add(conv, extra.Username));

        SameUsers([alice, .. others.Skip(1), extra], (await aliceClient.InfoAsync(conv)).Get("members"));
        IsError(await aliceClient.RequestAsync(Add(conv, others[0].Username)), "group_full");
    }

    private async Task<List<Session>> UsersAsync(int count)
    {
        var users = new List<Session>();
        for (var i = 0; i < count; i++) users.Add(await Server.NewUserAsync($"m{i}"));
        return users;
    }
}
