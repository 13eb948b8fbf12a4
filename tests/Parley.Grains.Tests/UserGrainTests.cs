using Parley.Core.Presence;
using Parley.Core.Users;
using Parley.Grains.Presence;
using Parley.Grains.Users;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Grains.Tests;

/// <summary>The user grain as the session service: connections, online and last seen, watchers, privacy, revocation.</summary>
public sealed class UserGrainTests(GrainCluster grains) : IClassFixture<GrainCluster>
{
    private static readonly ConnectionMode Active = new(Background: false, Away: false, Version: 1, ChangedAt: 0);

    // Orleans holds observers weakly: the test keeps its node alive.
    private readonly RecordingNode _node = new();
    private NodeRoute? _here;

    /// <summary>The node of the connections of the tests that need only one.</summary>
    private NodeRoute Here => _here ??= NodeOf("node", _node);

    [Fact]
    public async Task A_user_is_online_while_an_active_connection_is_attached_and_watchers_hear_when_it_leaves()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var watcher = new RecordingWatcher();
        Assert.False((await grain.WatchAsync("watcher", grains.Client.CreateObjectReference<IPresenceObserver>(watcher)).Within()).Online);

        await grain.AttachAsync("c1", "d1", Here, Active).Within();
        var online = await watcher.Pushes.FirstAsync(p => p.State.Online).Within();
        var leftAt = Now();
        await grain.DetachAsync("c1", leftAt).Within();
        var offline = await watcher.Pushes.FirstAsync(p => !p.State.Online).Within();

        Assert.Equal(user, online.User);
        Assert.Equal(leftAt, offline.State.LastSeen);
    }

    [Fact]
    public async Task Going_offline_writes_last_seen_to_the_store_at_once_not_at_the_next_interval()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        await grain.AttachAsync("c1", "d1", Here, Active).Within();
        // A user action: the first write is due at once, and the next periodic one only LastSeenWriteInterval (30 s) later.
        var actedAt = Now();
        await grain.TouchAsync(actedAt);
        await Bounded.EventuallyAsync(async () => await StoredLastSeenAsync(user) == actedAt, "the first last seen is stored");
        var leftAt = actedAt + 1000;

        await grain.DetachAsync("c1", leftAt).Within();

        // Well within the interval: the write that matters most does not wait for it.
        await Bounded.EventuallyAsync(async () => await StoredLastSeenAsync(user) == leftAt, "last seen is stored on going offline", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_deactivating_grain_tells_its_connections_to_attach_again_and_the_next_reads_privacy_from_the_store()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        Assert.False(await grain.AttachAsync("c1", "d1", Here, Active).Within());
        Assert.True(await grain.AttachAsync("c1", "d1", Here, Active).Within());
        await grain.SetPrivacyAsync(LastSeenPrivacy.Nobody).Within();

        await grain.AttachAsync("c2", "d2", Here, Active).Within();
        await grain.DetachAsync("c2", Now()).Within();

        await grains.Cluster.DeactivateAsync(grain).Within();

        // The old activation tells its connections that their registrations end with it, rather than leaving them
        // unknown to the next one until their node's periodic refresh; a connection that detached is not told.
        await _node.RegistrationLost.FirstAsync(c => c == "c1").Within();
        Assert.Equal(LastSeenPrivacy.Nobody, await grain.GetPrivacyAsync().Within());
        Assert.Equal(["c1"], _node.RegistrationLost.All);
        // The new activation does not know the connection: it answers false, and the connection catches up from the store.
        Assert.False(await grain.AttachAsync("c1", "d1", Here, Active).Within());
    }

    [Fact]
    public async Task Revoking_a_device_tells_only_that_devices_connections()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        await grain.AttachAsync("c1", "phone", Here, Active).Within();
        await grain.AttachAsync("c2", "laptop", Here, Active).Within();

        await grain.RevokeDeviceAsync("phone").Within();
        await _node.Revoked.FirstAsync(r => r.Device == "phone").Within();
        await grain.RevokeDeviceAsync("laptop").Within();
        await _node.Revoked.FirstAsync(r => r.Device == "laptop").Within();

        // Each revocation named its own device's connection only; the laptop's was sent after the phone's, so a
        // misdirected phone revocation would have been recorded before it.
        Assert.Equal([("c1", "phone"), ("c2", "laptop")], _node.Revoked.All);
    }

    [Fact]
    public async Task One_refresh_renews_a_nodes_connections_names_the_unknown_ones_and_carries_a_newer_presence_mode()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var watcher = new RecordingWatcher();
        await grain.WatchAsync("watcher", grains.Client.CreateObjectReference<IPresenceObserver>(watcher)).Within();
        await grain.AttachAsync("c1", "phone", Here, Active).Within();
        await grain.AttachAsync("c2", "laptop", Here, Active).Within();
        await grain.DetachAsync("gone", Now()).Within();
        await watcher.Pushes.FirstAsync(p => p.State.Online).Within();

        // c1 and c2 are known; c3 never attached (or a new activation lost it); "gone" detached: it is not brought back.
        var unknown = await grain.RefreshAsync([new SessionRefresh("c1", Active), new SessionRefresh("c2", Active),
            new SessionRefresh("c3", Active), new SessionRefresh("gone", Active)]).Within();
        Assert.Equal(["c3"], unknown);

        // Both go away in one refresh (a presence.set whose own attach was lost): the user goes offline, last seen is
        // the later change; a late refresh with an older mode does not bring the user back.
        var leftAt = Now();
        var away = Active with { Away = true, Version = 2, ChangedAt = leftAt - 5 };
        await grain.RefreshAsync([new SessionRefresh("c1", away), new SessionRefresh("c2", away with { ChangedAt = leftAt })]).Within();
        var offline = await watcher.Pushes.FirstAsync(p => !p.State.Online).Within();
        Assert.Equal(leftAt, offline.State.LastSeen);
        Assert.Empty(await grain.RefreshAsync([new SessionRefresh("c1", Active), new SessionRefresh("c2", Active)]).Within());
        Assert.False((await grain.WatchAsync("watcher", grains.Client.CreateObjectReference<IPresenceObserver>(watcher)).Within()).Online);
    }

    [Fact]
    public async Task A_publish_through_the_grain_reaches_the_other_nodes_once_each_and_tells_the_publisher_their_route()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var (a, b, p) = (new RecordingNode(), new RecordingNode(), new RecordingNode());
        var (nodeA, nodeB, publisher) = (NodeOf("a", a), NodeOf("b", b), NodeOf("p", p));
        await grain.AttachAsync("c1", "phone", nodeA, Active).Within();
        await grain.AttachAsync("c2", "laptop", nodeA, Active).Within();
        await grain.AttachAsync("c3", "tablet", nodeB, Active).Within();

        await grain.PublishAsync([new InboxPush(7, [1])], publisher, epoch: 3);
        var route = await p.Routes.FirstAsync(_ => true).Within();
        // From node a: its own connections have the event already.
        await grain.PublishAsync([new InboxPush(8, [2])], nodeA, epoch: 5);
        var routeOfA = await a.Routes.FirstAsync(_ => true).Within();
        await a.Pushes.FirstAsync(u => u.Events[0].Seq == 7).Within();
        await b.Pushes.FirstAsync(u => u.Events[0].Seq == 8).Within();

        Assert.Equal((user, 3), (route.User, route.Epoch));
        Assert.Equal(["a", "b"], route.Nodes);
        Assert.Equal((user, 5), (routeOfA.User, routeOfA.Epoch));
        Assert.Equal(["b"], routeOfA.Nodes);
        // One push per node, not per connection; none back to the node that published.
        Assert.Equal([7L], a.Pushes.All.Select(u => u.Events[0].Seq));
        Assert.Equal([7L, 8L], b.Pushes.All.Select(u => u.Events[0].Seq).Order());
        Assert.All(a.Pushes.All.Concat(b.Pushes.All), u => Assert.Equal(user, u.User));
        Assert.Empty(p.Pushes.All);
        GC.KeepAlive((a, b, p));
    }

    [Fact]
    public async Task A_connection_on_a_node_new_to_the_route_attaches_only_once_the_nodes_holding_the_route_forgot_it()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var (a, c, p) = (new RecordingNode(), new RecordingNode(), new RecordingNode());
        var (nodeA, nodeC, publisher) = (NodeOf("a", a), NodeOf("c", c), NodeOf("p", p));
        await grain.AttachAsync("c1", "phone", nodeA, Active).Within();
        await grain.PublishAsync([new InboxPush(1, [1])], publisher, epoch: 0);
        var learned = await p.Routes.FirstAsync(_ => true).Within();
        var release = p.HoldForgetting();

        // A connection on node c: the publisher's route (only a) would miss it, so the attach waits for it to forget.
        var attach = grain.AttachAsync("c2", "laptop", nodeC, Active);
        var forgot = await p.Forgotten.FirstAsync(_ => true).Within();
        Assert.False(attach.IsCompleted);
        release.SetResult();
        await attach.Within();
        Assert.True(forgot.Version > learned.Version);

        // Asked again, the grain answers with the new route at the new version (or later).
        await grain.PublishAsync([new InboxPush(2, [2])], publisher, epoch: 0);
        var relearned = await p.Routes.FirstAsync(r => r.Version >= forgot.Version).Within();
        Assert.Equal(["a", "c"], relearned.Nodes);

        // Another connection on a node already in the route changes nothing; the last one leaving node c does.
        await grain.AttachAsync("c3", "tablet", nodeA, Active).Within();
        await grain.DetachAsync("c2", Now()).Within();
        await p.Forgotten.FirstAsync(f => f.Version > forgot.Version).Within();
        Assert.Equal(2, p.Forgotten.All.Count);
        Assert.Empty(a.Forgotten.All);
        GC.KeepAlive((a, c, p));
    }

    [Fact]
    public async Task A_deactivating_grain_tells_the_nodes_holding_its_route_to_forget_it()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var p = new RecordingNode();
        await grain.PublishAsync([new InboxPush(1, [1])], NodeOf("p", p), epoch: 0);
        var learned = await p.Routes.FirstAsync(_ => true).Within();
        Assert.Empty(learned.Nodes);

        await grains.Cluster.DeactivateAsync(grain).Within();

        // The next activation would not know that p holds the route, so could not tell it of a change.
        var forgot = await p.Forgotten.FirstAsync(_ => true).Within();
        Assert.True(forgot.Version > learned.Version);
    }

    private NodeRoute NodeOf(string id, RecordingNode node) => new(id, grains.Client.CreateObjectReference<INodeInbox>(node));

    private async Task<string> NewUserAsync()
    {
        var user = Unique("u");
        Assert.True(await grains.Store.CreateUserAsync(new NewUser(user, user, "hash", Now()), default));
        return user;
    }

    private async Task<long?> StoredLastSeenAsync(string user) => (await grains.Store.GetPresenceAsync(new Username(user), default)).LastSeen;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
