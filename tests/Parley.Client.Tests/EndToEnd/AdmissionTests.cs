using System.Diagnostics;
using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

/// <summary>
/// A server that is behind refuses upgrades with 503 <c>overloaded</c> and Retry-After (issue 15 item 6). Here the
/// server admits one socket awaiting its welcome (<c>Parley:Gateway:MaxPendingHandshakes=1</c>) and the test holds
/// that place with a socket that never says hello, so every other upgrade is refused until it lets go.
/// </summary>
public sealed class AdmissionTests
{
    private static readonly string[] ServerArgs = ["--Parley:Gateway:MaxPendingHandshakes=1", "--Parley:Gateway:UpgradeRetryAfter=00:00:01"];

    [Fact]
    public async Task A_reconnect_the_server_refuses_waits_for_its_Retry_After_and_then_goes_online()
    {
        await using var server = await ServerProcess.StartAsync(args: ServerArgs).Within(TimeSpan.FromSeconds(90));
        var proxy = CuttingProxy.Start(server.BaseUri);
        // Asked before every attempt: when each attempt started. The first goes through the proxy, the rest straight to the server.
        var attempts = new List<long>();
        Uri Address()
        {
            lock (attempts)
            {
                attempts.Add(Stopwatch.GetTimestamp());
                return attempts.Count == 1 ? proxy.BaseUri : server.BaseUri;
            }
        }
        int Attempts()
        {
            lock (attempts) return attempts.Count;
        }
        await using var alice = await ChatUser.RegisterAsync(server.BaseUri, "alice");
        // Backoff alone would try again within 10 ms: only the server's Retry-After makes the client wait longer.
        await alice.ConnectAsync(Address, o => (o.ReconnectMinDelay, o.ReconnectMaxDelay) = (TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10)));

        var holder = await WireClient.OpenAsync(server);
        try
        {
            await proxy.DisposeAsync();
            await alice.States.WaitForAsync(s => s.State == ConnectionState.Reconnecting);
            // The third attempt starts only once the second (made while the place was held: refused) is over.
            await Bounded.EventuallyAsync(() => Attempts() >= 3, "the client tries again after the refusal");
        }
        finally
        {
            await holder.DisposeAsync();
        }
        await alice.States.WaitAsync(all => all.SkipWhile(s => s.State != ConnectionState.Reconnecting).Any(s => s.State == ConnectionState.Online));

        long refusedAt, nextAt;
        lock (attempts) (refusedAt, nextAt) = (attempts[1], attempts[2]);
        var waited = Stopwatch.GetElapsedTime(refusedAt, nextAt);
        Assert.True(waited >= TimeSpan.FromSeconds(0.95), $"the next attempt came {waited.TotalMilliseconds:0} ms after the refused one");
        Assert.Equal(ConnectionState.Online, alice.Client!.State);
        Assert.True((await alice.Client.PingAsync().Within()).ServerTime > 0);
    }

    [Fact]
    public async Task A_first_connect_the_server_refuses_throws_overloaded_with_its_retry_hint_and_may_be_tried_again()
    {
        await using var server = await ServerProcess.StartAsync(args: ServerArgs).Within(TimeSpan.FromSeconds(90));
        await using var bob = await ChatUser.RegisterAsync(server.BaseUri, "bob");
        var client = bob.CreateClient(() => server.BaseUri);

        ParleyException refused;
        await using (await WireClient.OpenAsync(server))
        {
            refused = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().Within());
        }
        Assert.Equal(ConnectionState.Disconnected, client.State);
        await Bounded.EventuallyAsync(async () =>
        {
            try
            {
                await client.ConnectAsync().Within();
                return true;
            }
            catch (ParleyException e) when (e.Code == ErrorCodes.Overloaded)
            {
                // The server has not noticed yet that the held socket went away.
                return false;
            }
        }, "the client connects once the place is free");

        Assert.Equal(ErrorCodes.Overloaded, refused.Code);
        Assert.Equal(503, refused.HttpStatus);
        Assert.Equal(1000, refused.RetryAfterMs);
        Assert.Contains(server.BaseUri.Authority, refused.Message, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Online, client.State);
    }
}
