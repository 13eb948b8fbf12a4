using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Messages;

/// <summary>send: the reply, the message event, ordering, idempotency and the errors.</summary>
public sealed class SendTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task Send_to_a_username_replies_ok_with_id_n_conv_seq_and_ts()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var reply = await client.SendOkAsync(bob.Username);

        Assert.False(string.IsNullOrEmpty(reply.Str("id")), reply.Raw);
        Assert.Equal(1, reply.Number("n"));
        Assert.Equal(Names.Direct(alice.Username, bob.Username), reply.Str("conv"));
        Assert.True(reply.Number("seq") > 0, reply.Raw);
        Assert.InRange(reply.Number("ts"), before - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000);
        Assert.False(reply.Json.TryGetProperty("duplicate", out var dup) && dup.ValueKind == JsonValueKind.True, reply.Raw);
    }

    [Fact]
    public async Task The_recipient_gets_a_message_event_matching_the_reply()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var cid = RawClient.NewCid();

        var reply = await aliceClient.SendOkAsync(bob.Username, "\"hello bob\"", cid);
        var message = await bobClient.NextEventAsync("message");

        Assert.True(message.Number("seq") > 0, message.Raw);
        Assert.Equal(reply.Str("id"), message.Str("id"));
        Assert.Equal(reply.Number("n"), message.Number("n"));
        Assert.Equal(reply.Str("conv"), message.Str("conv"));
        Assert.Equal(alice.Username, message.Str("from"));
        Assert.Equal(cid, message.Str("cid"));
        Assert.Equal("text", message.Str("kind"));
        Assert.Equal("hello bob", message.Str("body"));
        Assert.Equal(reply.Number("ts"), message.Number("ts"));
    }

    [Fact]
    public async Task The_senders_other_device_gets_the_message_event_too()
    {
        var phone = await Server.NewUserAsync("alice");
        var laptop = await Server.LoginAsync(phone);
        var bob = await Server.NewUserAsync("bob");
        await using var phoneClient = await Server.ConnectAsync(phone);
        await using var laptopClient = await Server.ConnectAsync(laptop);
        var cid = RawClient.NewCid();

        var reply = await phoneClient.SendOkAsync(bob.Username, "\"from my phone\"", cid);
        var message = await laptopClient.NextEventAsync("message");

        Assert.Equal(reply.Str("id"), message.Str("id"));
        Assert.Equal(reply.Number("n"), message.Number("n"));
        Assert.Equal(reply.Str("conv"), message.Str("conv"));
        Assert.Equal(phone.Username, message.Str("from"));
        Assert.Equal(cid, message.Str("cid"));
        Assert.Equal("\"from my phone\"", RawJson.Value(message.Raw, "body"));
    }

    [Fact]
    public async Task Messages_of_a_conversation_are_numbered_1_2_3_without_gaps_whoever_sends()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;

        var n1 = (await aliceClient.SendOkAsync(bob.Username)).Number("n");
        var n2 = (await bobClient.SendOkAsync(alice.Username)).Number("n");
        var n3 = (await aliceClient.SendOkAsync(bob.Username)).Number("n");
        var n4 = (await bobClient.SendOkAsync(alice.Username)).Number("n");

        Assert.Equal([1L, 2, 3, 4], [n1, n2, n3, n4]);
    }

    [Fact]
    public async Task Concurrent_senders_get_numbers_without_gaps_or_repeats()
    {
        const int PerSender = 10;
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;

        var sends = Enumerable.Range(0, PerSender)
            .SelectMany(_ => new[] { aliceClient.SendOkAsync(bob.Username), bobClient.SendOkAsync(alice.Username) })
            .ToList();
        var replies = await Task.WhenAll(sends);

        var numbers = replies.Select(r => r.Number("n")).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 2 * PerSender).Select(i => (long)i), numbers);
        Assert.Equal(2 * PerSender, replies.Select(r => r.Str("id")).Distinct().Count());
    }

    [Fact]
    public async Task The_recipient_sees_messages_in_n_order_with_increasing_seq()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;

        for (var i = 0; i < 5; i++) await aliceClient.SendOkAsync(bob.Username, $"\"m{i}\"");

        var events = new List<Frame>();
        for (var i = 0; i < 5; i++) events.Add(await bobClient.NextEventAsync("message"));
        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Number("n")));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], events.Select(e => e.Str("body")));
        var seqs = events.Select(e => e.Number("seq")).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [Fact]
    public async Task Direct_conversation_ids_sort_the_two_usernames_by_ordinal()
    {
        var stem = Names.Random(8);
        var underscore = await RegisterAsync(stem + "_b");
        var letter = await RegisterAsync(stem + "b");
        var prefix = await RegisterAsync(stem + "a");
        var longer = await RegisterAsync(stem + "ab");
        await using var letterClient = await Server.ConnectAsync(letter);
        await using var longerClient = await Server.ConnectAsync(longer);

        var a = await letterClient.SendOkAsync(underscore.Username);
        var b = await longerClient.SendOkAsync(prefix.Username);

        Assert.Equal($"d:{stem}_b:{stem}b", a.Str("conv"));
        Assert.Equal($"d:{stem}a:{stem}ab", b.Str("conv"));
    }

    [Fact]
    public async Task Send_by_conv_works_before_the_conversation_has_any_message()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);

        var first = await aliceClient.SendOkAsync(conv: conv);
        var second = await aliceClient.SendOkAsync(bob.Username);

        Assert.Equal(conv, first.Str("conv"));
        Assert.Equal(1, first.Number("n"));
        Assert.Equal(conv, second.Str("conv"));
        Assert.Equal(2, second.Number("n"));
        var message = await bobClient.NextEventAsync("message");
        Assert.Equal(first.Str("id"), message.Str("id"));
    }

    [Fact]
    public async Task A_user_can_message_themselves()
    {
        var phone = await Server.NewUserAsync("alice");
        var laptop = await Server.LoginAsync(phone);
        await using var phoneClient = await Server.ConnectAsync(phone);
        await using var laptopClient = await Server.ConnectAsync(laptop);

        var reply = await phoneClient.SendOkAsync(phone.Username, "\"note to self\"");

        var conv = $"d:{phone.Username}:{phone.Username}";
        Assert.Equal(conv, reply.Str("conv"));
        Assert.Equal(1, reply.Number("n"));
        var message = await laptopClient.NextEventAsync("message");
        Assert.Equal(conv, message.Str("conv"));
        Assert.Equal(reply.Str("id"), message.Str("id"));
        var history = await phoneClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        Assert.Equal(1, history.Get("messages").GetArrayLength());
    }

    [Fact]
    public async Task Sending_a_cid_again_returns_the_first_reply_marked_duplicate_and_stores_nothing()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var cid = RawClient.NewCid();

        var first = await aliceClient.SendOkAsync(bob.Username, "\"original\"", cid);
        var again = await aliceClient.SendOkAsync(bob.Username, "\"changed\"", cid);
        var next = await aliceClient.SendOkAsync(bob.Username, "\"next\"");

        Assert.True(again.Get("duplicate").GetBoolean(), again.Raw);
        foreach (var field in new[] { "id", "conv" }) Assert.Equal(first.Str(field), again.Str(field));
        foreach (var field in new[] { "n", "seq", "ts" }) Assert.Equal(first.Number(field), again.Number(field));
        Assert.Equal(2, next.Number("n"));
        var m1 = await bobClient.NextEventAsync("message");
        var m2 = await bobClient.NextEventAsync("message");
        Assert.Equal(["\"original\"", "\"next\""], new[] { RawJson.Value(m1.Raw, "body"), RawJson.Value(m2.Raw, "body") });
        var history = await aliceClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = first.Str("conv") });
        Assert.Equal(["\"original\"", "\"next\""], RawJson.Values(history.Raw, "body"));
    }

    [Fact]
    public async Task A_cid_stays_a_duplicate_across_reconnects()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var cid = RawClient.NewCid();
        Frame first;
        await using (var client = await Server.ConnectAsync(alice))
        {
            first = await client.SendOkAsync(bob.Username, cid: cid);
        }

        await using var again = await Server.ConnectAsync(alice);
        var reply = await again.SendOkAsync(bob.Username, cid: cid);

        Assert.True(reply.Get("duplicate").GetBoolean(), reply.Raw);
        Assert.Equal(first.Str("id"), reply.Str("id"));
        Assert.Equal(first.Number("n"), reply.Number("n"));
    }

    [Fact]
    public async Task Different_senders_may_use_the_same_cid()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;

        var a = await aliceClient.SendOkAsync(bob.Username, cid: "same-cid");
        var b = await bobClient.SendOkAsync(alice.Username, cid: "same-cid");

        Assert.False(b.Json.TryGetProperty("duplicate", out var dup) && dup.ValueKind == JsonValueKind.True, b.Raw);
        Assert.NotEqual(a.Str("id"), b.Str("id"));
        Assert.Equal(2, b.Number("n"));
    }

    [Fact]
    public async Task Sending_to_an_unknown_username_is_not_found()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        var reply = await client.SendMessageAsync(Names.User("nobody"));

        Assert.True(reply.IsError, reply.Raw);
        Assert.Equal("not_found", reply.Str("code"));
    }

    [Fact]
    public async Task A_body_of_exactly_max_body_bytes_is_accepted()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var max = MaxBody(aliceClient);
        var body = "\"" + new string('x', max - 2) + "\"";

        await aliceClient.SendOkAsync(bob.Username, body);

        var message = await bobClient.NextEventAsync("message");
        Assert.Equal(body, RawJson.Value(message.Raw, "body"));
    }

    public static TheoryData<string> OversizedBodies => new() { "string", "object", "object padded with whitespace", "string of escapes" };

    [Theory]
    [MemberData(nameof(OversizedBodies))]
    public async Task A_body_over_max_body_bytes_as_sent_is_too_large_and_nothing_is_stored(string shape)
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var max = MaxBody(aliceClient);
        var body = shape switch
        {
            "string" => "\"" + new string('x', max - 1) + "\"",
            "object" => "{\"k\":\"" + new string('x', max - 7) + "\"}",
            "object padded with whitespace" => "{\"k\":1" + new string(' ', max - 6) + "}",
            _ => "\"" + string.Concat(Enumerable.Repeat("\\u00e9", (max / 6) + 1)) + "\"",
        };
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(body), max + 1, max + 8);

        var reply = await aliceClient.SendMessageAsync(bob.Username, body);

        Assert.True(reply.IsError, reply.Raw.Length > 300 ? reply.Raw[..300] : reply.Raw);
        Assert.Equal("too_large", reply.Str("code"));
        var conv = Names.Direct(alice.Username, bob.Username);
        var history = await aliceClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        Assert.Equal(0, history.Get("messages").GetArrayLength());
        var sentinel = await aliceClient.SendOkAsync(bob.Username, "\"small\"");
        Assert.Equal(1, sentinel.Number("n"));
        var first = await bobClient.NextEventAsync("message");
        Assert.Equal(sentinel.Str("id"), first.Str("id"));
    }

    private static int MaxBody(RawClient client) =>
        client.Welcome!.Get("limits").GetProperty("maxBodyBytes").GetInt32();

    private async Task<Session> RegisterAsync(string username)
    {
        var created = await Server.Api.CreateUserAsync(username, TestServer.Password);
        Assert.True(created.Status == System.Net.HttpStatusCode.Created, created.Text);
        return await Server.Api.SessionAsync(username, TestServer.Password);
    }
}
