using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>A server that pings after 1 s of silence and drops a socket silent for 3 s.</summary>
public sealed class IdleServer : IAsyncLifetime
{
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(args:
        [$"--Parley:Gateway:KeepAliveInterval={KeepAliveInterval:c}", $"--Parley:Gateway:IdleTimeout={IdleTimeout:c}", PresenceServer.NoShedding]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Sockets that die without a close: the user goes offline, last seen when they were last heard.</summary>
public sealed class IdleTimeoutTests(IdleServer fixture) : IClassFixture<IdleServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_socket_that_stops_answering_is_dropped_after_the_idle_timeout_and_its_user_was_last_seen_when_it_fell_silent()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await SubscribeAsync(v, alice);

        using var silent = await RawSocket.HelloAsync(Server, aliceToken);
        Assert.True((await NextPresenceAsync(v, alice)).Online);
        var fellSilent = Now();

        var (online, lastSeen) = await NextPresenceAsync(v, alice);
        var noticed = Now();
        Assert.False(online);
        Assert.True(noticed - fellSilent >= (IdleServer.IdleTimeout - IdleServer.KeepAliveInterval).TotalMilliseconds,
            $"dropped after {noticed - fellSilent} ms: too soon for the idle timeout");
        // Last heard around the hello, not when the server noticed.
        Assert.InRange(lastSeen!.Value, fellSilent - 1000, fellSilent + 1000);
    }

    [Fact]
    public async Task A_client_killed_without_a_close_goes_offline_at_once_last_seen_then()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await SubscribeAsync(v, alice);

        using var killed = await RawSocket.HelloAsync(Server, aliceToken);
        Assert.True((await NextPresenceAsync(v, alice)).Online);
        var resetAt = Now();
        killed.Reset();

        var (online, lastSeen) = await NextPresenceAsync(v, alice);
        Assert.False(online);
        Assert.InRange(lastSeen!.Value, resetAt, Now());
    }

    [Fact]
    public async Task A_live_client_that_sends_nothing_answers_the_pings_and_stays_connected()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await SubscribeAsync(v, alice);

        // Twice the idle timeout without a frame from Alice's app: her client library answers the server's pings.
        await Assert.ThrowsAsync<TimeoutException>(() => a.ClosedAsync().WaitAsync(IdleServer.IdleTimeout * 2));
        Assert.True((await SnapshotAsync(v, alice)).Online);
        await OkAsync(a, new() { ["type"] = "ping" });
    }
}
