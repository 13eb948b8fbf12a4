using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Durability;

/// <summary>
/// What the server acknowledged survives a graceful stop and a SIGKILL. Each test runs its own
/// server on its own data directory and starts it again on the same data.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Messages_and_cids_survive_a_graceful_restart()
    {
        await using var before = await TestServer.StartAsync();
        var (alice, bob, first, second) = await SendTwoAsync(before);
        await before.Process.StopAsync();

        await using var after = TestServer.Of(await before.Process.RestartAsync());

        await AssertSurvivedAsync(after, alice, bob, first, second);
    }

    [Fact]
    public async Task Acknowledged_messages_and_cids_survive_a_kill()
    {
        await using var before = await TestServer.StartAsync();
        var (alice, bob, first, second) = await SendTwoAsync(before);
        await before.Process.KillAsync();

        await using var after = TestServer.Of(await before.Process.RestartAsync());

        await AssertSurvivedAsync(after, alice, bob, first, second);
    }

    [Fact]
    public async Task A_message_for_an_offline_recipient_is_delivered_after_a_kill()
    {
        await using var before = await TestServer.StartAsync();
        var alice = await before.NewUserAsync("alice");
        var bob = await before.NewUserAsync("bob");
        Frame sent;
        await using (var client = await before.ConnectAsync(alice, autoAck: true))
        {
            sent = await client.SendOkAsync(bob.Username, "{ \"kept\" : true }");
        }
        await before.Process.KillAsync();

        await using var after = TestServer.Of(await before.Process.RestartAsync());
        var bobAgain = await after.LoginAsync(bob);
        await using var bobClient = await after.ConnectAsync(bobAgain);

        var message = await bobClient.NextEventAsync("message");
        Assert.Equal(sent.Str("id"), message.Str("id"));
        Assert.Equal("{ \"kept\" : true }", RawJson.Value(message.Raw, "body"));
    }

    [Fact]
    public async Task Tokens_stay_valid_across_a_restart()
    {
        await using var before = await TestServer.StartAsync();
        var alice = await before.NewUserAsync("alice");
        await before.Process.StopAsync();

        await using var after = TestServer.Of(await before.Process.RestartAsync());
        await using var client = await after.ConnectAsync(alice);

        Assert.Equal(alice.DeviceId, client.Welcome!.Str("device"));
    }

    [Fact]
    public async Task A_graceful_stop_closes_open_sockets_with_1001()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.NewUserAsync("alice");
        await using var client = await server.ConnectAsync(alice);

        var stopping = server.Process.StopAsync();

        Assert.Equal(1001, await client.ClosedAsync(TimeSpan.FromSeconds(30)));
        await stopping;
    }

    private static async Task<(Session Alice, Session Bob, Frame First, Frame Second)> SendTwoAsync(TestServer server)
    {
        var alice = await server.NewUserAsync("alice");
        var bob = await server.NewUserAsync("bob");
        await using var client = await server.ConnectAsync(alice, autoAck: true);
        var first = await client.SendOkAsync(bob.Username, "\"first\"", "cid-first");
        var second = await client.SendOkAsync(bob.Username, "{\"second\": 2.0}", "cid-second");
        return (alice, bob, first, second);
    }

    private static async Task AssertSurvivedAsync(TestServer server, Session alice, Session bob, Frame first, Frame second)
    {
        var aliceAgain = await server.LoginAsync(alice);
        await using var client = await server.ConnectAsync(aliceAgain, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);

        var history = await client.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        var duplicate = await client.SendOkAsync(bob.Username, "\"first, again\"", "cid-first");
        var third = await client.SendOkAsync(bob.Username, "\"third\"", "cid-third");

        var messages = history.Get("messages").EnumerateArray().ToList();
        Assert.Equal([first.Str("id"), second.Str("id")], messages.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(["\"first\"", "{\"second\": 2.0}"], RawJson.Values(history.Raw, "body"));
        Assert.True(duplicate.Get("duplicate").GetBoolean(), duplicate.Raw);
        Assert.Equal(first.Str("id"), duplicate.Str("id"));
        Assert.Equal(1, duplicate.Number("n"));
        Assert.Equal(3, third.Number("n"));
    }
}
