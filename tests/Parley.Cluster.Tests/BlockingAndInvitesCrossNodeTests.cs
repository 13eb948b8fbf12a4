using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Cluster.Tests;

/// <summary>v1.1 blocking and invite links across nodes: a block made on one node is enforced on every node; a join on one node is seen on the others.</summary>
public sealed class BlockingAndInvitesCrossNodeTests : IAsyncLifetime
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

    [Fact]
    public async Task A_join_by_code_on_one_node_is_seen_by_members_on_the_others()
    {
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        await using var b = await WireClient.ConnectAsync(Node(1), await WireClient.LoginAsync(Node(1), bob));
        await using var c = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), carol));
        var created = await a.RequestAsync(new() { ["type"] = "group.create", ["name"] = "g", ["members"] = new[] { bob } });
        var conv = created.GetProperty("conv").GetString()!;
        var code = (await a.RequestAsync(new() { ["type"] = "group.invite", ["conv"] = conv })).GetProperty("code").GetString()!;

        var joined = await c.RequestAsync(new() { ["type"] = "group.join", ["code"] = code });

        Assert.True(Is(joined, "ok"), joined.ToString());
        foreach (var device in new[] { a, b, c })
        {
            var e = await device.NextAsync(f => Is(f, "group") && f.GetProperty("event").GetString() == "joined");
            Assert.Equal((carol, carol), (e.GetProperty("member").GetString(), e.GetProperty("by").GetString()));
        }
        // A message sent on node 1 reaches the joiner on node 2.
        await b.RequestAsync(new() { ["type"] = "send", ["cid"] = "m1", ["conv"] = conv, ["body"] = "welcome" });
        var message = await c.NextAsync(f => Is(f, "message") && f.GetProperty("conv").GetString() == conv);
        Assert.Equal(bob, message.GetProperty("from").GetString());
        // A revoke on node 1 (bob is no admin: forbidden) and on node 0 (alice) is seen by a join on node 2.
        var notAdmin = await b.RequestAsync(new() { ["type"] = "group.revokeInvite", ["conv"] = conv });
        Assert.Equal("forbidden", notAdmin.GetProperty("code").GetString());
        await a.RequestAsync(new() { ["type"] = "group.revokeInvite", ["conv"] = conv });
        var dave = Unique("d");
        await using var d = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), dave));
        var refused = await d.RequestAsync(new() { ["type"] = "group.join", ["code"] = code });
        Assert.Equal("not_found", refused.GetProperty("code").GetString());
    }
}
