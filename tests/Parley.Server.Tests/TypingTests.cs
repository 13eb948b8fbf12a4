using System.Diagnostics;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>Typing: relayed to the conversation's online members, never stored, paused by the server when it goes quiet.</summary>
public sealed class TypingTests(PresenceServer fixture) : IClassFixture<PresenceServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Typing_in_a_direct_conversation_reaches_the_other_participant_and_is_never_replayed()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        var bobToken = await WireClient.LoginAsync(Server, bob);
        var conv = Direct(alice, bob);
        // Typing goes only to a conversation that holds a message (issue 17).
        await SendAsync(a, bob, "before");
        await using (var b = await WireClient.ConnectAsync(Server, bobToken))
        {
            await TypingAsync(a, conv, "composing");
            Assert.Equal((alice, "composing"), await NextTypingAsync(b, conv));
            await TypingAsync(a, conv, "paused");
            Assert.Equal((alice, "paused"), await NextTypingAsync(b, conv));
        }

        await using var again = await WireClient.ConnectAsync(Server, bobToken);
        await OkAsync(again, new() { ["type"] = "ping" });
        await SendAsync(a, bob, "after");
        await again.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("body").GetString() == "after");
        // Everything received so far is in the client's buffer: no typing among it.
        await Assert.ThrowsAsync<TimeoutException>(() => again.NextAsync(f => f.GetProperty("type").GetString() == "typing")
            .WaitAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Typing_in_a_group_reaches_the_members_who_are_online_and_not_the_typist()
    {
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await using var aliceOther = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice, register: false));
        await using var b = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, bob));
        await using var c = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, carol));
        var created = await a.RequestAsync(new() { ["type"] = "group.create", ["name"] = "team", ["members"] = new[] { bob, carol } });
        var conv = created.GetProperty("conv").GetString()!;

        // Carol's app is in the background: she is not online, so she is not shown the composing.
        await SetAsync(c, "away");
        await TypingAsync(a, conv, "composing");
        Assert.Equal((alice, "composing"), await NextTypingAsync(b, conv));
        await SetAsync(c, "active");
        await TypingAsync(a, conv, "paused");
        Assert.Equal((alice, "paused"), await NextTypingAsync(b, conv));
        Assert.Equal((alice, "paused"), await NextTypingAsync(c, conv));

        // Bob typing reaches Alice's devices, but Alice's own typing never came back to her other device.
        await TypingAsync(b, conv, "composing");
        Assert.Equal((bob, "composing"), await NextTypingAsync(aliceOther, conv));
        Assert.Equal((bob, "composing"), await NextTypingAsync(a, conv));
    }

    [Fact]
    public async Task A_composing_without_a_follow_up_becomes_paused_after_the_timeout()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await using var b = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, bob));
        var conv = Direct(alice, bob);
        await SendAsync(a, bob, "before");
        var clock = Stopwatch.StartNew();
        await TypingAsync(a, conv, "composing");
        Assert.Equal((alice, "composing"), await NextTypingAsync(b, conv));
        Assert.Equal((alice, "paused"), await NextTypingAsync(b, conv));
        Assert.True(clock.Elapsed >= PresenceServer.TypingTimeout * 0.9, $"paused after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_typist_whose_connection_closes_is_paused_at_once()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        await using var b = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, bob));
        var conv = Direct(alice, bob);
        await SendAsync(a, bob, "before");
        await TypingAsync(a, conv, "composing");
        Assert.Equal((alice, "composing"), await NextTypingAsync(b, conv));
        await a.DisposeAsync();
        Assert.Equal((alice, "paused"), await NextTypingAsync(b, conv));
    }

    [Fact]
    public async Task Typing_where_the_user_is_not_a_member_is_refused()
    {
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        await using var a = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, alice));
        var reply = await a.RequestAsync(new() { ["type"] = "typing", ["conv"] = Direct(bob, carol), ["state"] = "composing" });
        Assert.Equal(("error", "forbidden"), (reply.GetProperty("type").GetString(), reply.GetProperty("code").GetString()));
        reply = await a.RequestAsync(new() { ["type"] = "typing", ["conv"] = "g:0000000000000000", ["state"] = "composing" });
        Assert.Equal(("error", "not_found"), (reply.GetProperty("type").GetString(), reply.GetProperty("code").GetString()));
    }
}
