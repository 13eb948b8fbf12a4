using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>
/// The addition to <c>convs</c>: with <c>left: true</c> it also lists the groups the caller has left or was removed
/// from, marked <c>left: true</c>, as they were when the caller went (docs/protocol.md, Groups).
/// </summary>
public sealed class LeftGroupListTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_left_group_is_listed_only_when_asked_for_as_it_was_when_the_member_went()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Trip", bob, carol);
        await aliceClient.SendToGroupAsync(conv);
        await aliceClient.SendToGroupAsync(conv);
        await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 2);
        await bobClient.OkAsync(Leave(conv));
        await aliceClient.SendToGroupAsync(conv);

        var plain = await bobClient.OkAsync(new JsonObject { ["type"] = "convs" });
        var withLeft = await bobClient.OkAsync(new JsonObject { ["type"] = "convs", ["left"] = true });
        var alices = await aliceClient.OkAsync(new JsonObject { ["type"] = "convs", ["left"] = true });

        Assert.DoesNotContain(plain.Get("conversations").EnumerateArray(), c => c.GetProperty("conv").GetString() == conv);
        var row = Single(withLeft, conv);
        Assert.True(row.GetProperty("left").GetBoolean(), row.ToString());
        Assert.Equal("group", row.GetProperty("kind").GetString());
        Assert.Equal("Trip", row.GetProperty("name").GetString());
        // What bob saw: up to n = 2, nothing unread; alice's third message is not his.
        Assert.Equal(2, row.GetProperty("lastN").GetInt64());
        Assert.Equal(0, row.GetProperty("unread").GetInt64());
        // A member's own row is never marked.
        Assert.False(Single(alices, conv).TryGetProperty("left", out _), alices.Raw);
    }

    [Fact]
    public async Task A_member_removed_is_listed_as_left_and_coming_back_makes_it_current_again()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Team", bob);
        await aliceClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Remove(conv, bob.Username));

        var removed = Single(await bobClient.OkAsync(new JsonObject { ["type"] = "convs", ["left"] = true }), conv);
        await aliceClient.OkAsync(Add(conv, bob.Username));
        var back = Single(await bobClient.OkAsync(new JsonObject { ["type"] = "convs", ["left"] = true }), conv);

        Assert.True(removed.GetProperty("left").GetBoolean(), removed.ToString());
        Assert.False(back.TryGetProperty("left", out _), back.ToString());
    }

    [Fact]
    public async Task Left_must_be_a_boolean()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        var reply = await client.RequestAsync(new JsonObject { ["type"] = "convs", ["left"] = "yes" });

        IsError(reply, "bad_request");
    }

    private static JsonElement Single(Frame reply, string conv)
    {
        var matching = reply.Get("conversations").EnumerateArray().Where(c => c.GetProperty("conv").GetString() == conv).ToList();
        Assert.True(matching.Count == 1, reply.Raw);
        return matching[0];
    }
}
