using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>A server whose registrations expire after 3 s unless refreshed; the node refreshes every 1 s in ticks of 250 ms.</summary>
public sealed class ShortSessionServer : IAsyncLifetime
{
    public static readonly TimeSpan ConnectionExpiry = TimeSpan.FromSeconds(3);

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(args:
    [
        $"--Parley:Sessions:ConnectionExpiry={ConnectionExpiry:c}", "--Parley:Sessions:RefreshInterval=00:00:01",
        "--Parley:Sessions:RetryInterval=00:00:00.250", PresenceServer.NoShedding,
    ]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The node's batched refresh (one grain call per user and interval) keeps every connection of a user registered.</summary>
public sealed class SessionRefreshTests(ShortSessionServer fixture) : IClassFixture<ShortSessionServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_users_connections_stay_registered_past_several_expiries_and_a_presence_change_still_reaches_watchers()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await using var phone = await WireClient.ConnectAsync(Server, aliceToken);
        await using var laptop = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice, register: false));
        await using var tablet = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice, register: false));
        Assert.True((await SnapshotAsync(v, alice)).Online);

        // Three expiries: a registration the node did not refresh would be pruned, and alice would go offline.
        var until = Now() + (long)(3 * ShortSessionServer.ConnectionExpiry.TotalMilliseconds);
        for (var look = 0; look < 100 && Now() < until; look++)
        {
            Assert.True((await SnapshotAsync(v, alice)).Online, "alice stays online while her sockets are open");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        Assert.True(Now() >= until, "the observation lasted three expiries");

        // Every one of the three is still registered: alice goes offline only when the last one is away.
        await SetAsync(phone, "away");
        await SetAsync(laptop, "away");
        Assert.True((await SnapshotAsync(v, alice)).Online);
        var away = Now();
        await SetAsync(tablet, "away");
        var (online, lastSeen) = await NextPresenceAsync(v, alice);
        Assert.False(online);
        Assert.InRange(lastSeen!.Value, away, Now());
    }
}
