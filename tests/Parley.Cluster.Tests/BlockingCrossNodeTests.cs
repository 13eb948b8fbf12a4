using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Cluster.Tests;

/// <summary>v1.1 blocking across nodes: a block made on one node is enforced on every node (delivery, presence, groups).</summary>
public sealed class BlockingCrossNodeTests : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ServerProcess Node(int i) => _cluster.Nodes[i];

    private static bool Is(JsonElement frame, string type) => frame.GetProperty("type").GetString() == type;

    [Fact]
    public async Task A_block_made_on_one_node_hides_sends_presence_and_group_invitations_on_the_others()
    {
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        await using var aliceElsewhere = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), alice, register: false));
        await using var b = await WireClient.ConnectAsync(Node(1), await WireClient.LoginAsync(Node(1), bob));
        await WireClient.LoginAsync(Node(2), carol);
        var presence = await b.RequestAsync(new() { ["type"] = "presence.subscribe", ["users"] = new[] { alice } });
        Assert.True(presence.GetProperty("presence")[0].GetProperty("online").GetBoolean());

        var blocked = await a.RequestAsync(new() { ["type"] = "block", ["user"] = bob });
        Assert.True(Is(blocked, "ok"), blocked.ToString());

        // Bob, on another node, sees alice go offline with no last seen.
        var offline = await b.NextAsync(f => Is(f, "presence") && f.GetProperty("user").GetString() == alice);
        Assert.False(offline.GetProperty("online").GetBoolean());
        Assert.Equal(JsonValueKind.Null, offline.GetProperty("lastSeen").ValueKind);
        // His send is accepted, and reaches none of alice's devices: her own later send arrives first.
        var sent = await b.RequestAsync(new() { ["type"] = "send", ["cid"] = "c1", ["to"] = alice, ["body"] = "hello?" });
        Assert.True(Is(sent, "ok"), sent.ToString());
        var conv = sent.GetProperty("conv").GetString()!;
        await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "fence", ["to"] = bob, ["body"] = "fence" });
        foreach (var device in new[] { a, aliceElsewhere })
        {
            var sawBob = false;
            await device.NextAsync(f =>
            {
                sawBob |= Is(f, "message") && f.GetProperty("from").GetString() == bob;
                return Is(f, "message") && f.GetProperty("cid").GetString() == "fence";
            });
            Assert.False(sawBob);
        }
        var history = await aliceElsewhere.RequestAsync(new() { ["type"] = "history", ["conv"] = conv });
        Assert.Equal([2L], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("n").GetInt64()));
        // Bob cannot put alice in a group from his node.
        var group = await b.RequestAsync(new() { ["type"] = "group.create", ["name"] = "g", ["members"] = new[] { alice, carol } });
        Assert.Equal("forbidden", group.GetProperty("code").GetString());
        // Every device of alice's lists the block.
        var list = await aliceElsewhere.RequestAsync(new() { ["type"] = "blocked" });
        Assert.Equal([bob], list.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
    }
}
