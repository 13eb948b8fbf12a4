using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>Online, offline and last seen as subscribers see them, over real sockets.</summary>
public sealed class PresenceTests(PresenceServer fixture) : IClassFixture<PresenceServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_user_never_seen_reads_as_offline_with_a_null_last_seen()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        var snapshot = await SubscribeAsync(v, alice, "no_such_user_x");
        Assert.Equal((false, null), snapshot[alice]);
        Assert.Equal((false, null), snapshot["no_such_user_x"]);
    }

    [Fact]
    public async Task Going_online_and_offline_is_pushed_and_last_seen_is_the_moment_the_user_left()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        Assert.Equal((false, null), await SnapshotAsync(v, alice));

        var a = await WireClient.ConnectAsync(Server, aliceToken);
        Assert.Equal((true, null), await NextPresenceAsync(v, alice));
        Assert.Equal((true, null), await SnapshotAsync(v, alice));

        var left = Now();
        await a.DisposeAsync();
        var (online, lastSeen) = await NextPresenceAsync(v, alice);
        Assert.False(online);
        Assert.InRange(lastSeen!.Value, left, Now());
        Assert.Equal((false, lastSeen), await SnapshotAsync(v, alice));
    }

    [Fact]
    public async Task Away_is_offline_while_every_other_device_is_away_too_and_active_is_online_again()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await using var phone = await WireClient.ConnectAsync(Server, aliceToken);
        await using var laptop = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice, register: false));
        Assert.True((await SnapshotAsync(v, alice)).Online);

        await SetAsync(phone, "away");
        Assert.True((await SnapshotAsync(v, alice)).Online);

        var away = Now();
        await SetAsync(laptop, "away");
        var (online, lastSeen) = await NextPresenceAsync(v, alice);
        Assert.False(online);
        Assert.InRange(lastSeen!.Value, away, Now());

        // Coming back is a user action too: last seen moves with it.
        await SetAsync(phone, "active");
        var (back, seen) = await NextPresenceAsync(v, alice);
        Assert.True(back);
        Assert.True(seen >= lastSeen);
    }

    [Fact]
    public async Task A_background_connection_does_not_make_the_user_online_and_moves_no_last_seen()
    {
        var (alice, bob, viewer) = (Unique("a"), Unique("b"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await WireClient.LoginAsync(Server, bob);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await SubscribeAsync(v, alice);

        await using var sync = await ConnectBackgroundAsync(Server, aliceToken);
        await SendAsync(sync, bob);
        await SetAsync(sync, "active");
        await OkAsync(sync, new() { ["type"] = "history", ["conv"] = Direct(alice, bob) });
        Assert.Equal((false, null), await SnapshotAsync(v, alice));

        // A foreground connection is seen at once; the background one changed nothing meanwhile.
        var a = await WireClient.ConnectAsync(Server, aliceToken);
        Assert.Equal((true, null), await NextPresenceAsync(v, alice));
        await a.DisposeAsync();
        Assert.False((await NextPresenceAsync(v, alice)).Online);
    }

    [Fact]
    public async Task Only_user_actions_move_last_seen_and_system_requests_do_not()
    {
        var (alice, bob, viewer) = (Unique("a"), Unique("b"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var b = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, bob));
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await SubscribeAsync(v, alice);
        await using var a = await WireClient.ConnectAsync(Server, aliceToken);
        await NextPresenceAsync(v, alice);
        await SendAsync(b, alice);

        // Away: offline, so last seen is what the snapshot shows from now on.
        await SetAsync(a, "away");
        var (_, lastSeen) = await NextPresenceAsync(v, alice);
        var conv = Direct(alice, bob);

        After(lastSeen);
        await OkAsync(a, new() { ["type"] = "ping" });
        await OkAsync(a, new() { ["type"] = "convs" });
        await OkAsync(a, new() { ["type"] = "ack", ["seq"] = 1 });
        await OkAsync(a, new() { ["type"] = "presence.subscribe", ["users"] = new[] { bob } });
        await a.RequestAsync(new() { ["type"] = "receipts", ["conv"] = conv, ["n"] = 1 });
        await PrivacyAsync(a, "everyone");
        await SetAsync(a, "away");
        Assert.Equal((false, lastSeen), await SnapshotAsync(v, alice));

        var actions = new Dictionary<string, object?>[]
        {
            new() { ["type"] = "read", ["conv"] = conv, ["upTo"] = 1 },
            new() { ["type"] = "history", ["conv"] = conv },
            new() { ["type"] = "typing", ["conv"] = conv, ["state"] = "paused" },
            new() { ["type"] = "send", ["cid"] = "c1", ["to"] = bob, ["body"] = "x" },
            new() { ["type"] = "group.info", ["conv"] = "g:0000000000000000" },
        };
        foreach (var action in actions)
        {
            var before = After(lastSeen);
            await a.RequestAsync(action);
            var (online, moved) = await SnapshotAsync(v, alice);
            Assert.False(online);
            Assert.True(moved >= before, $"{action["type"]} did not move last seen ({moved} < {before})");
            lastSeen = moved;
        }
    }

    [Fact]
    public async Task Last_seen_and_privacy_survive_a_restart_and_a_user_online_at_shutdown_was_seen_then()
    {
        await using var first = await ServerProcess.StartAsync(args: [PresenceServer.NoShedding]);
        var (alice, carol, viewer) = (Unique("a"), Unique("c"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(first, alice);
        var carolToken = await WireClient.LoginAsync(first, carol);
        var viewerToken = await WireClient.LoginAsync(first, viewer);
        long? aliceLastSeen;
        await using (var v = await WireClient.ConnectAsync(first, viewerToken))
        {
            await SubscribeAsync(v, alice);
            var a = await WireClient.ConnectAsync(first, aliceToken);
            await NextPresenceAsync(v, alice);
            await a.DisposeAsync();
            aliceLastSeen = (await NextPresenceAsync(v, alice)).LastSeen;
        }
        await using var stillOnline = await WireClient.ConnectAsync(first, await WireClient.LoginAsync(first, alice, register: false));
        await using var carolOnline = await WireClient.ConnectAsync(first, carolToken);
        await PrivacyAsync(carolOnline, "nobody");
        var stopping = Now();
        await first.StopAsync();

        await using var second = await first.RestartAsync();
        await using var again = await WireClient.ConnectAsync(second, viewerToken);
        var snapshot = await SubscribeAsync(again, alice, carol);
        Assert.False(snapshot[alice].Online);
        Assert.True(snapshot[alice].LastSeen >= stopping, $"alice was online until the shutdown, last seen {snapshot[alice].LastSeen} < {stopping}");
        Assert.True(snapshot[alice].LastSeen > aliceLastSeen);
        // Carol's setting was kept: hidden from the viewer, while she sees her own last seen, written at the shutdown.
        Assert.Equal((false, null), snapshot[carol]);
        await using var carolAgain = await WireClient.ConnectAsync(second, carolToken);
        Assert.True((await SnapshotAsync(carolAgain, carol)).LastSeen >= stopping);
    }

    [Fact]
    public async Task Presence_set_typing_read_and_privacy_with_a_rid_each_get_exactly_one_reply()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await WireClient.LoginAsync(Server, bob);
        var conv = Direct(alice, bob);
        var requests = new object[]
        {
            new { type = "presence.set", rid = "p1", state = "away" },
            new { type = "presence.set", rid = "p2", state = "active" },
            new { type = "typing", rid = "t1", conv, state = "composing" },
            new { type = "typing", rid = "t2", conv, state = "paused" },
            new { type = "read", rid = "r1", conv, upTo = 0 },
            new { type = "privacy", rid = "v1", lastSeen = "nobody" },
            new { type = "presence.subscribe", rid = "s1", users = new[] { bob } },
            new { type = "presence.set", rid = "e1", state = "idle" },
            new { type = "typing", conv, state = "composing" },
            new { type = "ping", rid = "last" },
        };
        foreach (var request in requests) await a.SendAsync(request);

        var replies = new List<string>();
        while (true)
        {
            var frame = await a.NextAsync(f => f.TryGetProperty("rid", out _));
            var rid = frame.GetProperty("rid").GetString()!;
            replies.Add(rid);
            Assert.Equal(rid == "e1" ? "error" : "ok", frame.GetProperty("type").GetString());
            if (rid == "last") break;
        }
        Assert.Equal(["p1", "p2", "t1", "t2", "r1", "v1", "s1", "e1", "last"], replies);
    }
}
