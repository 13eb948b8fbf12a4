using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Groups;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Reactions;

/// <summary>
/// v1.1 reactions: <c>react</c> sets, replaces or takes back one reaction per user and message; every member (the
/// reactor's other devices too) gets a <c>reaction</c> event; nothing changes and nothing is emitted when nothing changes;
/// history lists reactions in the order they were first made; a reaction takes no n, leaves unread alone and makes no receipts.
/// </summary>
public sealed class ReactionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task A_reaction_reaches_every_member_and_the_reactors_other_device()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var bobPhone = await Server.ConnectAsync(await Server.LoginAsync(bob), autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"hello\"");

        var ok = await bobClient.ReactAsync(conv, 1, "👍");

        Assert.True(ok.IsOk, ok.Raw);
        foreach (var client in new[] { aliceClient, bobClient, bobPhone })
        {
            var reaction = await client.NextReactionAsync(conv);
            Assert.Equal(1, reaction.Number("n"));
            Assert.Equal(bob.Username, reaction.Str("by"));
            Assert.Equal("👍", reaction.Str("emoji"));
            Assert.NotNull(reaction.Seq);
        }
        Assert.Equal([(bob.Username, "👍")], await aliceClient.ReactionsInHistoryAsync(conv, 1));
    }

    [Fact]
    public async Task A_new_reaction_replaces_the_old_and_history_keeps_the_order_they_were_first_made()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("reactions", bob, carol);
        await aliceClient.SendToGroupAsync(conv, "\"party\"");

        Assert.True((await bobClient.ReactAsync(conv, 1, "🎉")).IsOk);
        Assert.True((await carolClient.ReactAsync(conv, 1, "❤️")).IsOk);
        Assert.True((await bobClient.ReactAsync(conv, 1, "😂")).IsOk);

        var seen = new List<(string?, string?)>();
        for (var i = 0; i < 3; i++)
        {
            var e = await aliceClient.NextReactionAsync(conv);
            seen.Add((e.Str("by"), e.Str("emoji")));
        }
        Assert.Equal([(bob.Username, "🎉"), (carol.Username, "❤️"), (bob.Username, "😂")], seen);
        Assert.Equal([(bob.Username, "😂"), (carol.Username, "❤️")], await carolClient.ReactionsInHistoryAsync(conv, 1));
    }

    [Fact]
    public async Task Taking_a_reaction_back_emits_a_null_emoji_and_removes_it_from_history()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"hello\"");
        Assert.True((await bobClient.ReactAsync(conv, 1, "👍")).IsOk);
        await aliceClient.NextReactionAsync(conv);

        var back = await bobClient.ReactAsync(conv, 1, null);

        Assert.True(back.IsOk, back.Raw);
        var e = await aliceClient.NextReactionAsync(conv);
        Assert.Equal(bob.Username, e.Str("by"));
        Assert.Equal(JsonValueKind.Null, e.Get("emoji").ValueKind);
        Assert.Empty(await aliceClient.ReactionsInHistoryAsync(conv, 1));
    }

    [Fact]
    public async Task The_same_emoji_again_or_taking_back_a_reaction_one_does_not_have_emits_nothing()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"hello\"");
        await aliceClient.SendOkAsync(bob.Username, "\"again\"");

        Assert.True((await bobClient.ReactAsync(conv, 2, null)).IsOk);
        Assert.True((await bobClient.ReactAsync(conv, 1, "👍")).IsOk);
        Assert.True((await bobClient.ReactAsync(conv, 1, "👍")).IsOk);
        Assert.True((await bobClient.ReactAsync(conv, 1, "🔥")).IsOk);

        // The events come in inbox order: had the repeat or the empty take-back emitted, it would come between these.
        var first = await aliceClient.NextReactionAsync(conv);
        var second = await aliceClient.NextReactionAsync(conv);
        Assert.Equal((1L, "👍"), (first.Number("n"), first.Str("emoji")));
        Assert.Equal((1L, "🔥"), (second.Number("n"), second.Str("emoji")));
        Assert.Equal(second.Seq, first.Seq + 1);
        await aliceClient.PingAsync();
        Assert.Empty(aliceClient.Untaken(f => f.Type == "reaction"));
    }

    [Fact]
    public async Task A_reaction_takes_no_n_changes_no_unread_and_makes_no_receipt()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"one\"");
        await using (var bobClient = await Server.ConnectAsync(bob))
        {
            // bob does not ack: alice's message stays unread and undelivered for him.
            await bobClient.NextEventAsync("message", f => f.Str("conv") == conv);
            Assert.True((await bobClient.ReactAsync(conv, 1, "👍")).IsOk);
            await bobClient.NextReactionAsync(conv);
            await aliceClient.NextReactionAsync(conv);

            var bobConvs = await bobClient.OkAsync(new JsonObject { ["type"] = "convs" });
            var entry = bobConvs.Get("conversations").EnumerateArray().Single(c => c.GetProperty("conv").GetString() == conv);
            Assert.Equal(1, entry.GetProperty("lastN").GetInt64());
            Assert.Equal(1, entry.GetProperty("unread").GetInt64());
        }
        var aliceConvs = await aliceClient.OkAsync(new JsonObject { ["type"] = "convs" });
        var own = aliceConvs.Get("conversations").EnumerateArray().Single(c => c.GetProperty("conv").GetString() == conv);
        Assert.Equal(0, own.GetProperty("unread").GetInt64());
        Assert.Equal(2, (await aliceClient.SendOkAsync(bob.Username, "\"two\"")).Number("n"));
        await aliceClient.PingAsync();
        Assert.DoesNotContain(aliceClient.Received, f => f.Type == "receipt");
    }

    [Fact]
    public async Task Reacting_to_a_message_one_cannot_see_is_not_found()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "eve");
        var ((alice, aliceClient), (bob, bobClient), (_, eveClient)) = users;
        var direct = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"one\"");
        await aliceClient.SendOkAsync(bob.Username, "\"two\"");
        await aliceClient.OkAsync(new JsonObject { ["type"] = "delete", ["conv"] = direct, ["n"] = 2 });
        var group = await aliceClient.CreateGroupAsync("private", bob);
        await aliceClient.SendToGroupAsync(group, "\"members only\"");

        GroupWire.IsError(await bobClient.ReactAsync(direct, 3, "👍"), "not_found");
        GroupWire.IsError(await bobClient.ReactAsync(direct, 2, "👍"), "not_found");
        GroupWire.IsError(await eveClient.ReactAsync(group, 1, "👍"), "not_found");
        await aliceClient.PingAsync();
        Assert.DoesNotContain(aliceClient.Received, f => f.Type == "reaction");
    }

    [Fact]
    public async Task Reacting_to_an_expired_message_is_not_found()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        var sent = await aliceClient.OkAsync(new JsonObject
        {
            ["type"] = "send", ["cid"] = RawClient.NewCid(), ["to"] = bob.Username, ["body"] = "brief", ["ttl"] = 1,
        });
        for (var i = 0; i < 100 && (await bobClient.PingAsync()).Number("ts") <= sent.Number("expiresAt"); i++)
        {
            await Task.Delay(50);
        }

        GroupWire.IsError(await bobClient.ReactAsync(conv, 1, "👍"), "not_found");
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"123456789012345678901234567890123\"")]
    [InlineData("\"😀😀😀😀😀😀😀😀😀\"")]
    [InlineData("42")]
    [InlineData(null)]
    public async Task An_empty_too_long_missing_or_non_string_emoji_is_bad_request(string? emoji)
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"hello\"");
        var rid = RawClient.NewRid();
        var field = emoji is null ? "" : $",\"emoji\":{emoji}";

        await bobClient.SendRawAsync($"{{\"type\":\"react\",\"rid\":\"{rid}\",\"conv\":\"{conv}\",\"n\":1{field}}}");

        GroupWire.IsError(await bobClient.ReplyAsync(rid), "bad_request");
        Assert.Empty(await aliceClient.ReactionsInHistoryAsync(conv, 1));
    }

    [Fact]
    public async Task An_emoji_of_exactly_32_bytes_is_accepted()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"hello\"");
        const string EightFaces = "😀😀😀😀😀😀😀😀";

        Assert.True((await bobClient.ReactAsync(conv, 1, EightFaces)).IsOk);

        Assert.Equal([(bob.Username, EightFaces)], await aliceClient.ReactionsInHistoryAsync(conv, 1));
    }
}
