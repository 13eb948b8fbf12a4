using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Groups;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Edits;

/// <summary>
/// v1.1 edits: only the sender, within the edit window, not once deleted or expired; the body byte for byte, too_large past
/// maxBodyBytes; ok carries editedAt; every member gets <c>edited</c>; history returns the latest body and editedAt, and the
/// message keeps its n, id, ts, kind and media.
/// </summary>
public sealed class EditTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    private static Task<Frame> EditAsync(RawClient client, string conv, long n, string body, string extra = "")
    {
        var rid = RawClient.NewRid();
        return SendAndReplyAsync(client, rid, $"{{\"type\":\"edit\",\"rid\":\"{rid}\",\"conv\":\"{conv}\",\"n\":{n},\"body\":{body}{extra}}}");
    }

    private static async Task<Frame> SendAndReplyAsync(RawClient client, string rid, string frame)
    {
        await client.SendRawAsync(frame);
        return await client.ReplyAsync(rid);
    }

    [Fact]
    public async Task The_welcome_announces_the_edit_window_in_seconds()
    {
        var alice = await Server.NewUserAsync("alice");

        await using var client = await Server.ConnectAsync(alice);

        // The documented default, 15 minutes.
        Assert.Equal(900, client.Welcome!.Get("limits").GetProperty("editWindowSeconds").GetInt64());
    }

    [Fact]
    public async Task An_edit_reaches_every_member_byte_for_byte_and_history_returns_the_latest_body()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        var sent = await aliceClient.SendOkAsync(bob.Username, "\"typo\"");
        const string NewBody = "{ \"text\" : \"fixed\\u00e9\",\"n\":1.50 }";

        var ok = await EditAsync(aliceClient, conv, 1, NewBody, ",\"kind\":\"image\",\"media\":{\"id\":\"x\"}");

        Assert.True(ok.IsOk, ok.Raw);
        var editedAt = ok.Number("editedAt");
        foreach (var client in new[] { aliceClient, bobClient })
        {
            var e = await client.NextEventAsync("edited", f => f.Str("conv") == conv);
            Assert.Equal((1L, editedAt), (e.Number("n"), e.Number("editedAt")));
            Assert.Equal(NewBody, RawJson.Value(e.Raw, "body"));
        }
        var history = await bobClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        var message = Assert.Single(history.Get("messages").EnumerateArray());
        Assert.Equal(NewBody, RawJson.Value(history.Raw, "body"));
        Assert.Equal(editedAt, message.GetProperty("editedAt").GetInt64());
        Assert.Equal((sent.Str("id"), sent.Number("ts"), "text"),
            (message.GetProperty("id").GetString(), message.GetProperty("ts").GetInt64(), message.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Only_the_sender_edits_and_a_missing_or_deleted_message_is_not_found()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "eve");
        var ((alice, aliceClient), (bob, bobClient), (_, eveClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"one\"");
        await aliceClient.SendOkAsync(bob.Username, "\"two\"");
        await aliceClient.OkAsync(new JsonObject { ["type"] = "delete", ["conv"] = conv, ["n"] = 2 });
        var group = await aliceClient.CreateGroupAsync("edits", bob);
        await aliceClient.SendToGroupAsync(group, "\"hello group\"");

        GroupWire.IsError(await EditAsync(bobClient, conv, 1, "\"bob's words\""), "forbidden");
        GroupWire.IsError(await EditAsync(bobClient, group, 1, "\"bob's words\""), "forbidden");
        GroupWire.IsError(await EditAsync(aliceClient, conv, 2, "\"back\""), "not_found");
        GroupWire.IsError(await EditAsync(aliceClient, conv, 3, "\"none\""), "not_found");
        GroupWire.IsError(await EditAsync(eveClient, group, 1, "\"stranger\""), "not_found");
        await aliceClient.PingAsync();
        Assert.DoesNotContain(aliceClient.Received, f => f.Type == "edited");
    }

    [Fact]
    public async Task A_body_over_maxBodyBytes_is_too_large_and_a_missing_body_is_bad_request()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, _)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"short\"");
        var max = aliceClient.Welcome!.Get("limits").GetProperty("maxBodyBytes").GetInt64();

        GroupWire.IsError(await EditAsync(aliceClient, conv, 1, "\"" + new string('x', (int)max - 1) + "\""), "too_large");
        var rid = RawClient.NewRid();
        GroupWire.IsError(await SendAndReplyAsync(aliceClient, rid, $"{{\"type\":\"edit\",\"rid\":\"{rid}\",\"conv\":\"{conv}\",\"n\":1}}"), "bad_request");
        Assert.True((await EditAsync(aliceClient, conv, 1, "\"" + new string('x', (int)max - 2) + "\"")).IsOk);
    }
}

/// <summary>The edit window, on a server whose window is one second.</summary>
public sealed class EditWindowTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--Parley:Messages:EditWindow=00:00:01");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_welcome_announces_this_servers_window()
    {
        var alice = await _server.NewUserAsync("alice");

        await using var client = await _server.ConnectAsync(alice);

        Assert.Equal(1, client.Welcome!.Get("limits").GetProperty("editWindowSeconds").GetInt64());
    }

    [Fact]
    public async Task An_edit_after_the_window_is_forbidden_and_changes_nothing()
    {
        await using var users = await _server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, _)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        var sent = await aliceClient.SendOkAsync(bob.Username, "\"original\"");
        // Bounded wait until the server's clock is past the window.
        for (var i = 0; i < 100 && (await aliceClient.PingAsync()).Number("ts") <= sent.Number("ts") + 1_000; i++)
        {
            await Task.Delay(50);
        }

        var rid = RawClient.NewRid();
        await aliceClient.SendRawAsync($"{{\"type\":\"edit\",\"rid\":\"{rid}\",\"conv\":\"{conv}\",\"n\":1,\"body\":\"late\"}}");

        GroupWire.IsError(await aliceClient.ReplyAsync(rid), "forbidden");
        var history = await aliceClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        Assert.Equal("\"original\"", RawJson.Value(history.Raw, "body"));
    }
}
