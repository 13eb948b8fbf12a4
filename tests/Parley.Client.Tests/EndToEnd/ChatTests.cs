using System.Diagnostics;
using Parley.Client.Http;
using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// Through the SDK against the real server, one server for the class.
public sealed class ChatTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri BaseUri => fixture.BaseUri;

    [Fact]
    public async Task Two_users_chat_through_the_sdk_with_delivered_and_read_receipts()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);

        var sent = await alice.Client!.SendTextAsync(bob.Name, "hello bob").Within();
        await bob.Messages.WaitForAsync(m => m.Id == sent.Id);
        await alice.Receipts.WaitForAsync(r => r.Status == ReceiptStatuses.Delivered && r.UpTo >= sent.N);
        await bob.Client!.ReadAsync(conv, sent.N).Within();
        await alice.Receipts.WaitForAsync(r => r.Status == ReceiptStatuses.Read && r.UpTo >= sent.N);
        var reply = await bob.Client.SendAsync(conv, """{"text":"hi alice",  "n": 1.0}""").Within();
        await alice.Messages.WaitForAsync(m => m.Id == reply.Id);

        Assert.Equal((conv, 1L, false), (sent.Conv, sent.N, sent.Duplicate));
        var received = bob.Messages.Snapshot().Single(m => m.Id == sent.Id);
        Assert.Equal((alice.Name, "\"hello bob\"", MessageKinds.Text), (received.From, received.Body, received.Kind));
        var receipts = alice.Receipts.Snapshot();
        Assert.All(receipts, r => Assert.Equal((conv, bob.Name), (r.Conv, r.By)));
        Assert.True(receipts.First(r => r.Status == ReceiptStatuses.Delivered).Seq < receipts.First(r => r.Status == ReceiptStatuses.Read).Seq);
        Assert.Equal(2, reply.N);
        Assert.Equal("""{"text":"hi alice",  "n": 1.0}""", alice.Messages.Snapshot().Single(m => m.Id == reply.Id).Body);
        var conversation = Assert.Single(await alice.Client.ConversationsAsync().Within(), c => c.Conv == conv);
        Assert.Equal(2, conversation.LastN);
    }

    [Fact]
    public async Task An_offline_recipient_catches_up_in_order_when_it_connects()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        const int count = 30;
        for (var i = 1; i <= count; i++) await alice.Client!.SendTextAsync(bob.Name, $"m{i}").Within();

        await bob.ConnectAsync(() => BaseUri);
        await bob.Messages.WaitAsync(all => all.Count(m => m.From == alice.Name) >= count);

        var got = bob.Messages.Snapshot().Where(m => m.From == alice.Name).ToList();
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"\"m{i}\""), got.Select(m => m.Body));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), got.Select(m => m.N));
        var seqs = bob.Messages.Snapshot().Select(m => m.Seq).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [Fact]
    public async Task A_device_that_resumes_after_its_last_processed_seq_gets_only_what_is_new()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        var bobClient = await bob.ConnectAsync(() => BaseUri);
        var first = await alice.Client!.SendTextAsync(bob.Name, "before").Within();
        await bob.Messages.WaitForAsync(m => m.Id == first.Id);
        var processed = bobClient.LastProcessedSeq;
        await bobClient.DisposeAsync().AsTask().Within();
        var second = await alice.Client.SendTextAsync(bob.Name, "after").Within();

        await using var again = bob.AnotherClient();
        await again.ConnectAsync(() => BaseUri, o => o.After = processed);
        await again.Messages.WaitForAsync(m => m.Id == second.Id);

        Assert.DoesNotContain(again.Messages.Snapshot(), m => m.Id == first.Id);
        Assert.True(processed >= 1);
    }

    [Fact]
    public async Task Bodies_travel_byte_for_byte_live_and_in_history()
    {
        string[] bodies =
        [
            "{ \"b\" : 1.50e+3 ,\n\t\"a\":[true, null, {\"x\":\"\\u0041\"}] }",
            "\"esc\\u00e9\\n\\\"q\\\" \\/ é 😀\"",
            "{\"z\":-0.0,\"a\":1E2}",
        ];
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);

        var ids = new List<string>();
        foreach (var body in bodies) ids.Add((await alice.Client!.SendAsync(bob.Name, body).Within()).Id);
        await bob.Messages.WaitAsync(all => ids.All(id => all.Any(m => m.Id == id)));
        var history = await bob.FullHistoryAsync(conv);

        Assert.Equal(bodies, ids.Select(id => bob.Messages.Snapshot().Single(m => m.Id == id).Body));
        Assert.Equal(bodies, history.Select(m => m.Body));
    }

    [Fact]
    public async Task Sending_again_with_the_same_cid_returns_the_first_reply_as_a_duplicate()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        var client = await alice.ConnectAsync(() => BaseUri);
        var cid = Guid.NewGuid().ToString();

        var first = await client.SendAsync(new OutgoingMessage(bob.Name, "\"once\"") { Cid = cid }).Within();
        var again = await client.SendAsync(new OutgoingMessage(bob.Name, "\"not stored\"") { Cid = cid }).Within();

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal((first.Id, first.N, first.Seq), (again.Id, again.N, again.Seq));
        Assert.Equal("\"once\"", Assert.Single(await alice.FullHistoryAsync(first.Conv)).Body);
    }

    [Fact]
    public async Task Server_refusals_come_back_as_ParleyException_with_the_protocol_code()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await alice.ConnectAsync(() => BaseUri);
        using var http = new ParleyHttpClient(BaseUri);

        var notFound = await Assert.ThrowsAsync<ParleyException>(() => alice.Client!.SendTextAsync(ChatUser.NewName("ghost"), "hi").Within());
        var taken = await Assert.ThrowsAsync<ParleyException>(() => http.RegisterAsync(alice.Name, "another password").Within());
        var shortPassword = await Assert.ThrowsAsync<ParleyException>(() => http.RegisterAsync(ChatUser.NewName("c"), "short").Within());
        var wrongPassword = await Assert.ThrowsAsync<ParleyException>(() => http.LoginAsync(alice.Name, "wrong password").Within());

        Assert.Equal(ErrorCodes.NotFound, notFound.Code);
        Assert.Equal((ErrorCodes.Conflict, 409), (taken.Code, taken.HttpStatus!.Value));
        Assert.Equal((ErrorCodes.BadRequest, 400), (shortPassword.Code, shortPassword.HttpStatus!.Value));
        Assert.Equal((ErrorCodes.Unauthorized, 401), (wrongPassword.Code, wrongPassword.HttpStatus!.Value));
        Assert.Equal(ConnectionState.Online, alice.Client!.State);
    }

    [Fact]
    public async Task Logging_out_closes_the_socket_with_4401_and_the_client_stops_as_unauthorized()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        var client = await alice.ConnectAsync(() => BaseUri);
        using var http = new ParleyHttpClient(BaseUri);

        // Right after the welcome: the server attaches the socket to its user before welcoming it, so the logout reaches it.
        await http.LogoutAsync(alice.Session.Token).Within();
        await alice.States.WaitForAsync(s => s.State == ConnectionState.Unauthorized);

        Assert.Equal(CloseCodes.Unauthorized, alice.States.Snapshot()[^1].CloseStatus);
        Assert.Equal(ConnectionState.Unauthorized, client.State);
        var error = await Assert.ThrowsAsync<ParleyException>(() => client.PingAsync().Within());
        Assert.Equal(ErrorCodes.Unauthorized, error.Code);
    }

    [Fact]
    public async Task A_revoked_token_makes_ConnectAsync_fail_as_unauthorized()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        using var http = new ParleyHttpClient(BaseUri);
        await http.LogoutAsync(alice.Session.Token).Within();
        var client = alice.CreateClient(() => BaseUri);

        var error = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().Within());

        Assert.Equal(ErrorCodes.Unauthorized, error.Code);
        Assert.Equal(ConnectionState.Unauthorized, client.State);
    }

    [Fact]
    public async Task Ping_and_history_paging_work_through_the_sdk()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        var client = await alice.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);
        for (var i = 1; i <= 5; i++) await client.SendTextAsync(conv, $"p{i}").Within();

        var ping = await client.PingAsync().Within();
        var newest = await client.HistoryAsync(conv, limit: 2).Within();
        var older = await client.HistoryAsync(conv, before: newest[0].N, limit: 2).Within();

        Assert.True(ping.ServerTime > 0);
        Assert.Equal([4L, 5L], newest.Select(m => m.N));
        Assert.Equal([2L, 3L], older.Select(m => m.N));
        Assert.Equal("\"p2\"", older[0].Body);
    }

    [Fact]
    public async Task ConnectAsync_against_a_server_that_is_down_fails_at_once_and_names_it()
    {
        var down = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        var client = alice.CreateClient(() => down);
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().Within(TimeSpan.FromSeconds(10)));

        Assert.Equal(ClientErrorCodes.Unreachable, error.Code);
        Assert.Contains(down.AbsoluteUri, error.Message, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Disconnected, client.State);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task The_http_client_reports_a_server_that_is_down_as_a_ParleyException_naming_it()
    {
        var down = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        using var http = new ParleyHttpClient(down);

        var error = await Assert.ThrowsAsync<ParleyException>(() => http.LoginAsync("alice", "a long password").Within());

        Assert.Equal(ClientErrorCodes.Unreachable, error.Code);
        Assert.Contains(down.AbsoluteUri, error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Null(error.HttpStatus);
    }

    [Fact]
    public async Task GetUserAsync_tells_an_existing_user_from_an_unknown_one()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        using var http = new ParleyHttpClient(BaseUri);

        var found = await http.GetUserAsync(alice.Session.Token, bob.Name).Within();
        var unknown = await http.GetUserAsync(alice.Session.Token, ChatUser.NewName("ghost")).Within();
        var malformed = await http.GetUserAsync(alice.Session.Token, "Not A/Name").Within();
        var badToken = await Assert.ThrowsAsync<ParleyException>(() => http.GetUserAsync("not a token", bob.Name).Within());

        Assert.Equal(new UserProfile(bob.Name, "bob"), found);
        Assert.Null(unknown);
        Assert.Null(malformed);
        Assert.Equal(ErrorCodes.Unauthorized, badToken.Code);
    }
}
