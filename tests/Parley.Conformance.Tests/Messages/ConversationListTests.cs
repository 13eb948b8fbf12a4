using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Messages;

/// <summary>convs: the user's conversations with their counters.</summary>
public sealed class ConversationListTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task A_new_user_has_no_conversations()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        var reply = await client.OkAsync(new JsonObject { ["type"] = "convs" });

        Assert.Equal(0, reply.Get("conversations").GetArrayLength());
    }

    [Fact]
    public async Task Convs_lists_a_direct_conversation_with_last_n_read_marker_unread_count_retention_and_members()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        for (var i = 0; i < 3; i++) await aliceClient.SendOkAsync(bob.Username);
        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 1 });
        await bobClient.SendOkAsync(alice.Username);

        var bobs = Single(await bobClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);
        var alices = Single(await aliceClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);

        Assert.Equal("direct", bobs.GetProperty("kind").GetString());
        Assert.Equal(4, bobs.GetProperty("lastN").GetInt64());
        Assert.Equal(1, bobs.GetProperty("readUpTo").GetInt64());
        // Others' messages after the read marker: alice's n = 2 and 3, not bob's own n = 4.
        Assert.Equal(2, bobs.GetProperty("unread").GetInt64());
        Assert.Equal(JsonValueKind.Null, bobs.GetProperty("retention").ValueKind);
        if (bobs.TryGetProperty("members", out var members))
        {
            Assert.Equal(new[] { alice.Username, bob.Username }.Order(StringComparer.Ordinal), members.EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal));
        }
        Assert.Equal("direct", alices.GetProperty("kind").GetString());
        Assert.Equal(4, alices.GetProperty("lastN").GetInt64());
        Assert.Equal(JsonValueKind.Null, alices.GetProperty("retention").ValueKind);
        // alice has not read bob's n = 4; her own messages never count as unread.
        Assert.True(alices.GetProperty("readUpTo").GetInt64() < 4, alices.ToString());
        Assert.Equal(1, alices.GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task The_read_marker_never_moves_backward_and_stops_at_the_last_message()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        for (var i = 0; i < 3; i++) await aliceClient.SendOkAsync(bob.Username);

        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 2 });
        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 1 });
        var afterBackward = Single(await bobClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);
        await bobClient.OkAsync(new JsonObject { ["type"] = "read", ["conv"] = conv, ["upTo"] = 99 });
        var afterBeyond = Single(await bobClient.OkAsync(new JsonObject { ["type"] = "convs" }), conv);

        Assert.Equal(2, afterBackward.GetProperty("readUpTo").GetInt64());
        Assert.Equal(1, afterBackward.GetProperty("unread").GetInt64());
        Assert.Equal(3, afterBeyond.GetProperty("readUpTo").GetInt64());
        Assert.Equal(0, afterBeyond.GetProperty("unread").GetInt64());
    }

    private static JsonElement Single(Frame reply, string conv)
    {
        var matching = reply.Get("conversations").EnumerateArray()
            .Where(c => c.GetProperty("conv").GetString() == conv)
            .ToList();
        Assert.True(matching.Count == 1, reply.Raw);
        return matching[0];
    }
}
