using Parley.Client.Tests.Support;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// Each test stops or kills its own server.
public sealed class RestartTests
{
    private static readonly string[] ServerArgs = ["--Parley:Delivery:AckTimeout=00:00:02"];

    private static Task WaitOnlineAgainAsync(ChatUser user) =>
        user.States.WaitAsync(all => all.SkipWhile(s => s.State != ConnectionState.Reconnecting).Any(s => s.State == ConnectionState.Online), TimeSpan.FromSeconds(60));

    [Fact]
    public async Task The_client_survives_a_server_restart_and_delivers_no_duplicates()
    {
        await using var server = await ServerProcess.StartAsync(args: ServerArgs).Within(TimeSpan.FromSeconds(90));
        var address = new MovingServer(server.BaseUri);
        await using var alice = await ChatUser.RegisterAsync(server.BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(server.BaseUri, "bob");
        await alice.ConnectAsync(address.Provider);
        await bob.ConnectAsync(address.Provider);
        for (var i = 1; i <= 5; i++) await alice.Client!.SendTextAsync(bob.Name, $"before {i}").Within();
        await bob.Messages.WaitAsync(all => all.Count(m => m.From == alice.Name) >= 5);

        await server.StopAsync().Within(TimeSpan.FromSeconds(60));
        await bob.States.WaitForAsync(s => s.State == ConnectionState.Reconnecting);
        await using var restarted = await server.RestartAsync().Within(TimeSpan.FromSeconds(90));
        address.Current = restarted.BaseUri;
        await WaitOnlineAgainAsync(alice);
        await WaitOnlineAgainAsync(bob);
        for (var i = 1; i <= 5; i++) await alice.Client!.SendTextAsync(bob.Name, $"after {i}").Within();
        await bob.Messages.WaitAsync(all => all.Count(m => m.From == alice.Name) >= 10);

        var fromAlice = bob.Messages.Snapshot().Where(m => m.From == alice.Name).ToList();
        Assert.Equal(10, fromAlice.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), fromAlice.Select(m => m.N));
        var seqs = bob.Messages.Snapshot().Select(m => m.Seq).ToList();
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.Equal(10, (await bob.FullHistoryAsync(ConversationIds.Direct(alice.Name, bob.Name))).Count);
    }

    [Fact]
    public async Task A_send_issued_while_disconnected_completes_after_reconnect_with_one_stored_message()
    {
        await using var server = await ServerProcess.StartAsync(args: ServerArgs).Within(TimeSpan.FromSeconds(90));
        var address = new MovingServer(server.BaseUri);
        await using var alice = await ChatUser.RegisterAsync(server.BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(server.BaseUri, "bob");
        var client = await alice.ConnectAsync(address.Provider);

        await server.StopAsync().Within(TimeSpan.FromSeconds(60));
        await alice.States.WaitForAsync(s => s.State == ConnectionState.Reconnecting);
        var send = client.SendTextAsync(bob.Name, "written while away");
        Assert.False(send.IsCompleted);
        await using var restarted = await server.RestartAsync().Within(TimeSpan.FromSeconds(90));
        address.Current = restarted.BaseUri;
        var result = await send.Within(TimeSpan.FromSeconds(60));
        await bob.ConnectAsync(address.Provider);
        await bob.Messages.WaitForAsync(m => m.Id == result.Id);

        var history = await bob.FullHistoryAsync(result.Conv);
        var stored = Assert.Single(history);
        Assert.Equal((result.Id, "\"written while away\""), (stored.Id, stored.Body));
        Assert.False(result.Duplicate);
        Assert.Single(bob.Messages.Snapshot());
    }
}
