using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Receipts;

/// <summary>
/// The addition to <c>convs</c>: <c>peerDelivered</c> and <c>peerRead</c>, the markers of the receipts the caller has
/// been owed, so that a fresh client shows the ticks of all its earlier messages (docs/protocol.md, Frames and requests).
/// </summary>
public sealed class ConversationMarkerTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task A_direct_conversation_lists_the_other_members_delivered_and_read_markers()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        for (var i = 0; i < 3; i++) await aliceClient.SendOkAsync(bob.Username);
        var third = await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 3);
        await bobClient.AckAsync(third.Number("seq"));
        await bobClient.OkAsync(Read(conv, 2));
        await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "read");

        // A second device of alice's, as a reloaded page is: it has seen none of those receipts.
        await using var reloaded = await Server.ConnectAsync(await Server.LoginAsync(alice));
        var alices = Row(await reloaded.OkAsync(new JsonObject { ["type"] = "convs" }), conv);

        Assert.Equal(3, alices.GetProperty("peerDelivered").GetInt64());
        Assert.Equal(2, alices.GetProperty("peerRead").GetInt64());
    }

    [Fact]
    public async Task A_group_lists_the_markers_every_other_member_has_reached()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("Markers", bob, carol);
        for (var i = 0; i < 3; i++) await aliceClient.SendToGroupAsync(conv);
        await bobClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 3);
        await carolClient.NextEventAsync("message", m => m.Str("conv") == conv && m.Number("n") == 3);
        await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "delivered" && r.Number("upTo") == 3);

        // bob reads everything, carol the first two: every other member has read up to 2.
        await bobClient.OkAsync(Read(conv, 3));
        await carolClient.OkAsync(Read(conv, 2));
        await aliceClient.NextEventAsync("receipt", r => r.Str("conv") == conv && r.Str("status") == "read" && r.Number("upTo") == 2);

        var row = Row(await aliceClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);
        Assert.Equal(3, row.GetProperty("peerDelivered").GetInt64());
        Assert.Equal(2, row.GetProperty("peerRead").GetInt64());
    }

    private static JsonElement Row(Frame reply, string conv)
    {
        var matching = reply.Get("conversations").EnumerateArray().Where(c => c.GetProperty("conv").GetString() == conv).ToList();
        Assert.True(matching.Count == 1, reply.Raw);
        return matching[0];
    }
}
