using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Cluster.Tests;

/// <summary>The v1.1 message actions (replies, reactions, edits) made on one node are seen on every node.</summary>
public sealed class MessageActionsCrossNodeTests : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ServerProcess Node(int i) => _cluster.Nodes[i];

    private static bool Is(JsonElement frame, string type) => frame.GetProperty("type").GetString() == type;

    [Fact]
    public async Task A_reaction_a_reply_and_an_edit_made_on_one_node_reach_devices_and_history_on_the_others()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        await using var aliceElsewhere = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), alice, register: false));
        await using var b = await WireClient.ConnectAsync(Node(1), await WireClient.LoginAsync(Node(1), bob));
        var sent = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c1", ["to"] = bob, ["body"] = "hello" });
        var conv = sent.GetProperty("conv").GetString()!;
        await b.NextAsync("message");

        await b.RequestAsync(new() { ["type"] = "react", ["conv"] = conv, ["n"] = 1, ["emoji"] = "👍" });
        var reply = await b.RequestAsync(new() { ["type"] = "send", ["cid"] = "r1", ["conv"] = conv, ["body"] = "hi", ["replyTo"] = 1 });
        var edited = await b.RequestAsync(new() { ["type"] = "edit", ["conv"] = conv, ["n"] = 2, ["body"] = "hi there" });

        Assert.Equal(1, reply.GetProperty("replyTo").GetInt64());
        foreach (var device in new[] { a, aliceElsewhere })
        {
            var reaction = await device.NextAsync(f => Is(f, "reaction"));
            Assert.Equal((bob, "👍", 1L), (reaction.GetProperty("by").GetString(), reaction.GetProperty("emoji").GetString(), reaction.GetProperty("n").GetInt64()));
            var replied = await device.NextAsync(f => Is(f, "message") && f.GetProperty("n").GetInt64() == 2);
            Assert.Equal(1, replied.GetProperty("replyTo").GetInt64());
            var edit = await device.NextAsync(f => Is(f, "edited"));
            Assert.Equal(("hi there", edited.GetProperty("editedAt").GetInt64()), (edit.GetProperty("body").GetString(), edit.GetProperty("editedAt").GetInt64()));
        }
        var history = await aliceElsewhere.RequestAsync(new() { ["type"] = "history", ["conv"] = conv });
        var first = history.GetProperty("messages")[0];
        Assert.Equal(bob, first.GetProperty("reactions")[0].GetProperty("by").GetString());
        Assert.Equal("hi there", history.GetProperty("messages")[1].GetProperty("body").GetString());
    }
}
