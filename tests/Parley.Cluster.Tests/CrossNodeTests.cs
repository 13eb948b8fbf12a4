using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Cluster.Tests;

/// <summary>Three nodes of one cluster: users on different nodes chat as if on one.</summary>
public sealed class CrossNodeTests : IAsyncLifetime
{
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ServerProcess Node(int i) => _cluster.Nodes[i];

    private static async Task<JsonElement> NextMessageAsync(WireClient client, bool ack = true)
    {
        var message = await client.NextAsync("message");
        if (ack) await client.SendAsync(new { type = "ack", seq = message.GetProperty("seq").GetInt64() });
        return message;
    }

    [Fact]
    public async Task Direct_messages_and_receipts_cross_nodes_to_every_device()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        await using var bobPhone = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), bob));
        await using var bobLaptop = await WireClient.ConnectAsync(Node(1), await WireClient.LoginAsync(Node(1), bob, register: false));

        const int count = 20;
        for (var i = 1; i <= count; i++)
        {
            var ok = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = $"c{i}", ["to"] = bob, ["body"] = $"m{i}" });
            Assert.Equal(i, ok.GetProperty("n").GetInt64());
        }
        for (var n = 1; n <= count; n++)
        {
            Assert.Equal(n, (await NextMessageAsync(bobPhone)).GetProperty("n").GetInt64());
            Assert.Equal($"m{n}", (await NextMessageAsync(bobLaptop, ack: false)).GetProperty("body").GetString());
        }
        var delivered = await a.NextAsync(f => f.GetProperty("type").GetString() == "receipt" && f.GetProperty("upTo").GetInt64() == count);
        Assert.Equal(("delivered", bob), (delivered.GetProperty("status").GetString(), delivered.GetProperty("by").GetString()));

        await bobLaptop.RequestAsync(new() { ["type"] = "read", ["conv"] = delivered.GetProperty("conv").GetString(), ["upTo"] = count });
        var read = await a.NextAsync(f => f.GetProperty("type").GetString() == "receipt" && f.GetProperty("status").GetString() == "read");
        Assert.Equal(count, read.GetProperty("upTo").GetInt64());
    }

    [Fact]
    public async Task A_device_on_a_node_new_to_the_recipient_gets_what_a_node_already_publishing_to_the_recipient_commits_next()
    {
        // Node 0 learns from Bob's grain that Bob's connections are on node 1 and from then on pushes there itself.
        // Bob's laptop then connects on node 2: node 0 must hear of it before the laptop catches up, or its next
        // message would go to node 1 only, and the laptop would see it no sooner than its refresh, a minute later.
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        await using var bobPhone = await WireClient.ConnectAsync(Node(1), await WireClient.LoginAsync(Node(1), bob));
        const int before = 5;
        for (var i = 1; i <= before; i++)
        {
            await a.RequestAsync(new() { ["type"] = "send", ["cid"] = $"c{i}", ["to"] = bob, ["body"] = $"m{i}" });
            Assert.Equal(i, (await NextMessageAsync(bobPhone)).GetProperty("n").GetInt64());
        }

        await using var bobLaptop = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), bob, register: false));
        // The laptop's catch-up is done once it has the first five: the next one can reach it only as a push.
        for (var n = 1; n <= before; n++) Assert.Equal(n, (await NextMessageAsync(bobLaptop)).GetProperty("n").GetInt64());
        await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "c-next", ["to"] = bob, ["body"] = "next" });

        // Well within WireClient's 20 s.
        Assert.Equal("next", (await NextMessageAsync(bobLaptop)).GetProperty("body").GetString());
        Assert.Equal("next", (await NextMessageAsync(bobPhone)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Devices_on_the_sending_node_and_on_other_nodes_each_get_every_event_once()
    {
        // The sending node hands events to its own sockets itself and the user grains push only to other nodes:
        // both halves must reach every device, and neither may repeat what the other sent.
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        await using var aliceElsewhere = await WireClient.ConnectAsync(Node(2), await WireClient.LoginAsync(Node(2), alice, register: false));
        await using var bobHere = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), bob));
        await using var bobElsewhere = await WireClient.ConnectAsync(Node(1), await WireClient.LoginAsync(Node(1), bob, register: false));

        const int count = 10;
        for (var i = 1; i <= count; i++)
        {
            await a.RequestAsync(new() { ["type"] = "send", ["cid"] = $"c{i}", ["to"] = bob, ["body"] = $"m{i}" });
        }
        // In order and once each: a repeated push would show up as the next message with an earlier n.
        foreach (var device in new[] { a, aliceElsewhere, bobHere, bobElsewhere })
        {
            for (var n = 1; n <= count; n++) Assert.Equal(n, (await NextMessageAsync(device, ack: device == bobHere)).GetProperty("n").GetInt64());
        }
        // The receipt of the acks on node 0 reaches the sender's device on node 2.
        var delivered = await aliceElsewhere.NextAsync(f => f.GetProperty("type").GetString() == "receipt" && f.GetProperty("upTo").GetInt64() == count);
        Assert.Equal(bob, delivered.GetProperty("by").GetString());
    }

    [Fact]
    public async Task A_group_with_members_on_every_node_sees_one_order_aggregated_receipts_and_its_description()
    {
        var names = Enumerable.Range(0, 3).Select(i => Unique($"g{i}")).ToArray();
        var clients = new List<WireClient>();
        for (var i = 0; i < 3; i++) clients.Add(await WireClient.ConnectAsync(Node(i), await WireClient.LoginAsync(Node(i), names[i])));
        try
        {
            var created = await clients[0].RequestAsync(new() { ["type"] = "group.create", ["name"] = "across", ["members"] = names[1..] });
            var conv = created.GetProperty("conv").GetString()!;
            foreach (var c in clients)
            {
                var e = await c.NextAsync("group");
                await c.SendAsync(new { type = "ack", seq = e.GetProperty("seq").GetInt64() });
            }

            for (var round = 0; round < 3; round++)
            {
                for (var i = 0; i < 3; i++)
                {
                    await clients[i].RequestAsync(new() { ["type"] = "send", ["cid"] = $"r{round}", ["conv"] = conv, ["body"] = $"{names[i]}-{round}" });
                }
            }
            var orders = new List<List<string>>();
            foreach (var c in clients)
            {
                var order = new List<string>();
                for (var n = 1; n <= 9; n++)
                {
                    var m = await NextMessageAsync(c);
                    Assert.Equal(n, m.GetProperty("n").GetInt64());
                    order.Add(m.GetProperty("body").GetString()!);
                }
                orders.Add(order);
            }
            Assert.All(orders, o => Assert.Equal(orders[0], o));

            // Everyone acked everything: each sender hears that every member has its messages.
            var receipt = await clients[2].NextAsync(f => f.GetProperty("type").GetString() == "receipt" && f.GetProperty("upTo").GetInt64() >= 9);
            Assert.Equal(("*", "delivered"), (receipt.GetProperty("by").GetString(), receipt.GetProperty("status").GetString()));

            // A description set by the admin on node 0 reaches the members on nodes 1 and 2 (the event), and node 2's reads
            // (group.info, convs) carry it.
            const string description = "across three nodes";
            await clients[0].RequestAsync(new() { ["type"] = "group.describe", ["conv"] = conv, ["description"] = description });
            foreach (var c in clients.Skip(1))
            {
                var described = await c.NextAsync(f => f.GetProperty("type").GetString() == "group" && f.GetProperty("event").GetString() == "described");
                Assert.Equal((description, names[0]), (described.GetProperty("description").GetString(), described.GetProperty("by").GetString()));
            }
            var info = await clients[2].RequestAsync(new() { ["type"] = "group.info", ["conv"] = conv });
            Assert.Equal(description, info.GetProperty("description").GetString());
            var convs = await clients[2].RequestAsync(new() { ["type"] = "convs" });
            Assert.Equal(description, convs.GetProperty("conversations").EnumerateArray()
                .Single(c => c.GetProperty("conv").GetString() == conv).GetProperty("description").GetString());
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Presence_and_typing_cross_nodes()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        var bobToken = await WireClient.LoginAsync(Node(2), bob);
        await using var a = await WireClient.ConnectAsync(Node(0), await WireClient.LoginAsync(Node(0), alice));
        var ok = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "hi", ["to"] = bob, ["body"] = "hi" });
        var conv = ok.GetProperty("conv").GetString()!;

        var snapshot = await a.RequestAsync(new() { ["type"] = "presence.subscribe", ["users"] = new[] { bob } });
        Assert.False(snapshot.GetProperty("presence")[0].GetProperty("online").GetBoolean());

        // Bob comes online on another node: Alice's subscription on node 0 hears it.
        var b = await WireClient.ConnectAsync(Node(2), bobToken);
        var online = await a.NextAsync(f => f.GetProperty("type").GetString() == "presence" && f.GetProperty("online").GetBoolean());
        Assert.Equal(bob, online.GetProperty("user").GetString());

        await b.RequestAsync(new() { ["type"] = "typing", ["conv"] = conv, ["state"] = "composing" });
        var typing = await a.NextAsync("typing");
        Assert.Equal((bob, "composing"), (typing.GetProperty("user").GetString(), typing.GetProperty("state").GetString()));

        // And goes offline: the push crosses nodes too, with a last seen.
        await b.DisposeAsync();
        var offline = await a.NextAsync(f => f.GetProperty("type").GetString() == "presence" && !f.GetProperty("online").GetBoolean());
        Assert.Equal(JsonValueKind.Number, offline.GetProperty("lastSeen").ValueKind);
    }

    [Fact]
    public async Task Users_chat_through_nginx_in_front_of_the_nodes()
    {
        await using var nginx = await NginxServer.StartAsync(_cluster.Nodes.Select(n => n.BaseUri));
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(nginx.WebSocketUri, await WireClient.LoginAsync(nginx.BaseUri, alice));
        await using var b = await WireClient.ConnectAsync(nginx.WebSocketUri, await WireClient.LoginAsync(nginx.BaseUri, bob));
        await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "via-lb", ["to"] = bob, ["body"] = "through nginx" });
        Assert.Equal("through nginx", (await NextMessageAsync(b)).GetProperty("body").GetString());
        Assert.Equal("delivered", (await a.NextAsync("receipt")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_cluster_status_lists_every_node_and_the_grains_it_holds()
    {
        var clients = new List<WireClient>();
        for (var i = 0; i < 6; i++) clients.Add(await WireClient.ConnectAsync(Node(i % 3), await WireClient.LoginAsync(Node(i % 3), Unique("s"))));
        try
        {
            using var http = new HttpClient { BaseAddress = Node(1).BaseUri };
            using var unauthorized = await http.GetAsync(new Uri("v1/admin/cluster", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.StatusCode);

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClusterNodes.AdminToken);
            var status = await http.GetFromJsonAsync<JsonElement>(new Uri("v1/admin/cluster", UriKind.Relative));
            var nodes = status.GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal(3, nodes.Count);
            Assert.All(nodes, n => Assert.Equal("Active", n.GetProperty("status").GetString()));
            Assert.True(nodes.Sum(n => n.GetProperty("userGrains").GetInt32()) >= 6);
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }
}
