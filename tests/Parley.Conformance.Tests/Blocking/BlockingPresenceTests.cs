using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Blocking;

/// <summary>
/// v1.1 blocking and presence: a blocked user sees the blocker offline with no last seen, in snapshots and pushes. The
/// server here never sheds (Parley:Governor:ForceLevel=0): under load the protocol lets a server drop presence pushes, and
/// this machine is shared.
/// </summary>
public sealed class BlockingPresenceTests(CalmServer fixture) : IClassFixture<CalmServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_blocked_user_sees_the_blocker_offline_with_no_last_seen()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        Assert.True((await bobClient.PresenceOfAsync(alice.Username)).Online);

        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);

        // The subscription in place is told at once; a fresh snapshot says the same.
        var pushed = await bobClient.NextAsync(f => f.Type == "presence" && f.Str("user") == alice.Username);
        Assert.Equal((false, (long?)null), BlockingWire.PresenceOf(pushed.Json));
        Assert.Equal((false, (long?)null), await bobClient.PresenceOfAsync(alice.Username));
        // Alice still sees bob.
        Assert.True((await aliceClient.PresenceOfAsync(bob.Username)).Online);

        Assert.True((await aliceClient.UnblockAsync(bob.Username)).IsOk);
        var back = await bobClient.NextAsync(f => f.Type == "presence" && f.Str("user") == alice.Username);
        Assert.True(back.Get("online").GetBoolean());
    }
}

/// <summary>A server whose load level is pinned at normal: it sheds nothing, whatever the machine's load.</summary>
public sealed class CalmServer : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--Parley:Governor:ForceLevel=0");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
