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

    [Fact]
    public async Task A_user_is_online_while_an_active_connection_is_attached_and_watchers_hear_when_it_leaves()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var watcher = new RecordingWatcher();
        Assert.False((await grain.WatchAsync("watcher", grains.Client.CreateObjectReference<IPresenceObserver>(watcher)).Within()).Online);
        var connection = new RecordingConnection();

        await grain.AttachAsync("c1", "d1", "node", grains.Client.CreateObjectReference<IInboxObserver>(connection), Active).Within();
        var online = await watcher.Pushes.FirstAsync(p => p.State.Online).Within();
        var leftAt = Now();
        await grain.DetachAsync("c1", leftAt).Within();
        var offline = await watcher.Pushes.FirstAsync(p => !p.State.Online).Within();

        Assert.Equal(user, online.User);
        Assert.Equal(leftAt, offline.State.LastSeen);
        GC.KeepAlive(connection);
    }

    [Fact]
    public async Task Going_offline_writes_last_seen_to_the_store_at_once_not_at_the_next_interval()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var connection = new RecordingConnection();
        await grain.AttachAsync("c1", "d1", "node", grains.Client.CreateObjectReference<IInboxObserver>(connection), Active).Within();
        // A user action: the first write is due at once, and the next periodic one only LastSeenWriteInterval (30 s) later.
        var actedAt = Now();
        await grain.TouchAsync(actedAt);
        await Bounded.EventuallyAsync(async () => await StoredLastSeenAsync(user) == actedAt, "the first last seen is stored");
        var leftAt = actedAt + 1000;

        await grain.DetachAsync("c1", leftAt).Within();

        // Well within the interval: the write that matters most does not wait for it.
        await Bounded.EventuallyAsync(async () => await StoredLastSeenAsync(user) == leftAt, "last seen is stored on going offline", TimeSpan.FromSeconds(10));
        GC.KeepAlive(connection);
    }

    [Fact]
    public async Task A_deactivating_grain_tells_its_connections_to_attach_again_and_the_next_reads_privacy_from_the_store()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var connection = new RecordingConnection();
        var reference = grains.Client.CreateObjectReference<IInboxObserver>(connection);
        Assert.False(await grain.AttachAsync("c1", "d1", "node", reference, Active).Within());
        Assert.True(await grain.AttachAsync("c1", "d1", "node", reference, Active).Within());
        await grain.SetPrivacyAsync(LastSeenPrivacy.Nobody).Within();

        var gone = new RecordingConnection();
        await grain.AttachAsync("c2", "d2", "node", grains.Client.CreateObjectReference<IInboxObserver>(gone), Active).Within();
        await grain.DetachAsync("c2", Now()).Within();

        await grains.Cluster.DeactivateAsync(grain).Within();

        // The old activation tells its connections that their registrations end with it, rather than leaving them
        // unknown to the next one until their node's periodic refresh; a connection that detached is not told.
        await connection.RegistrationLost.FirstAsync(_ => true).Within();
        Assert.Equal(LastSeenPrivacy.Nobody, await grain.GetPrivacyAsync().Within());
        Assert.Empty(gone.RegistrationLost.All);
        // The new activation does not know the connection: it answers false, and the connection catches up from the store.
        Assert.False(await grain.AttachAsync("c1", "d1", "node", reference, Active).Within());
        GC.KeepAlive(connection);
        GC.KeepAlive(gone);
    }

    [Fact]
    public async Task Revoking_a_device_tells_only_that_devices_connections()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var (phone, laptop) = (new RecordingConnection(), new RecordingConnection());
        await grain.AttachAsync("c1", "phone", "node", grains.Client.CreateObjectReference<IInboxObserver>(phone), Active).Within();
        await grain.AttachAsync("c2", "laptop", "node", grains.Client.CreateObjectReference<IInboxObserver>(laptop), Active).Within();

        await grain.RevokeDeviceAsync("phone").Within();
        await phone.Revoked.FirstAsync(d => d == "phone").Within();
        await grain.RevokeDeviceAsync("laptop").Within();
        await laptop.Revoked.FirstAsync(d => d == "laptop").Within();

        // Each revocation went to its own device only; the laptop's was sent after the phone's, so a misdirected
        // phone revocation would have reached the laptop first.
        Assert.Equal(["phone"], phone.Revoked.All);
        Assert.Equal(["laptop"], laptop.Revoked.All);
    }

    [Fact]
    public async Task One_refresh_renews_a_nodes_connections_names_the_unknown_ones_and_carries_a_newer_presence_mode()
    {
        var user = await NewUserAsync();
        var grain = grains.Client.GetGrain<IUserGrain>(user);
        var watcher = new RecordingWatcher();
        await grain.WatchAsync("watcher", grains.Client.CreateObjectReference<IPresenceObserver>(watcher)).Within();
        var (phone, laptop) = (new RecordingConnection(), new RecordingConnection());
        await grain.AttachAsync("c1", "phone", "node", grains.Client.CreateObjectReference<IInboxObserver>(phone), Active).Within();
        await grain.AttachAsync("c2", "laptop", "node", grains.Client.CreateObjectReference<IInboxObserver>(laptop), Active).Within();
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
        GC.KeepAlive(phone);
        GC.KeepAlive(laptop);
    }

    private async Task<string> NewUserAsync()
    {
        var user = Unique("u");
        Assert.True(await grains.Store.CreateUserAsync(new NewUser(user, user, "hash", Now()), default));
        return user;
    }

    private async Task<long?> StoredLastSeenAsync(string user) => (await grains.Store.GetPresenceAsync(new Username(user), default)).LastSeen;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
