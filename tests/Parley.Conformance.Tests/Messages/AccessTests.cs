using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Messages;

/// <summary>A user only sees and writes the conversations the user is in.</summary>
public sealed class AccessTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly string[] Refusals = ["forbidden", "not_found"];

    private TestServer Server => shared.Server;

    [Fact]
    public async Task A_user_cannot_read_the_history_of_a_direct_conversation_of_others()
    {
        var (alice, bob, carol) = (await Server.NewUserAsync("alice"), await Server.NewUserAsync("bob"), await Server.NewUserAsync("carol"));
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var aliceClient = await Server.ConnectAsync(alice);
        var reply = await bobClient.SendOkAsync(carol.Username, "\"secret for carol\"");

        var history = await aliceClient.RequestAsync(new JsonObject { ["type"] = "history", ["conv"] = reply.Str("conv") });

        Assert.True(history.IsError, history.Raw);
        Assert.Contains(history.Str("code"), Refusals);
        Assert.DoesNotContain("secret", history.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_cannot_send_into_a_direct_conversation_of_others()
    {
        var (alice, bob, carol) = (await Server.NewUserAsync("alice"), await Server.NewUserAsync("bob"), await Server.NewUserAsync("carol"));
        await using var aliceClient = await Server.ConnectAsync(alice);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        var conv = Names.Direct(bob.Username, carol.Username);

        var reply = await aliceClient.SendMessageAsync(conv: conv, body: "\"intruder\"");
        var sentinel = await bobClient.SendOkAsync(carol.Username, "\"from bob\"");

        Assert.True(reply.IsError, reply.Raw);
        Assert.Contains(reply.Str("code"), Refusals);
        Assert.Equal(1, sentinel.Number("n"));
        var first = await carolClient.NextEventAsync("message");
        Assert.Equal(sentinel.Str("id"), first.Str("id"));
        Assert.DoesNotContain(carolClient.Received, f => f.Raw.Contains("intruder", StringComparison.Ordinal));
    }
}
