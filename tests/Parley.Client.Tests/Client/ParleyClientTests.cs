using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.Client;

// The client's logic against a scripted fake server: resume, dedupe, acks, outbox, 4401, timeouts.
public sealed class ParleyClientTests : IAsyncLifetime
{
    private readonly FakeServer _server = new();
    private readonly List<ParleyClient> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync().AsTask().Within();
    }

    private ParleyClient Client(Action<ParleyClientOptions>? configure = null)
    {
        var options = new ParleyClientOptions
        {
            ServerUri = new Uri("http://fake.test/"),
            Token = "tok",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(1),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(5),
        };
        configure?.Invoke(options);
        var client = new ParleyClient(options, _server.CreateTransport);
        _clients.Add(client);
        return client;
    }

    private static Channel<T> Collect<T>(ParleyClient client, Action<ParleyClient, ParleyHandler<T>> subscribe)
    {
        var channel = Channel.CreateUnbounded<T>();
        subscribe(client, (e, _) =>
        {
            channel.Writer.TryWrite(e);
            return ValueTask.CompletedTask;
        });
        return channel;
    }

    private static Channel<MessageEvent> CollectMessages(ParleyClient client) => Collect<MessageEvent>(client, (c, h) => c.MessageReceived += h);

    private async Task<FakeConnection> ConnectAsync(ParleyClient client)
    {
        var connecting = client.ConnectAsync();
        var connection = await _server.NextConnectionAsync();
        await connection.AcceptAsync();
        await connecting.Within();
        return connection;
    }

    [Fact]
    public async Task Connect_sends_hello_with_the_token_and_goes_online_on_welcome()
    {
        var client = Client(o => o.After = 41);
        var states = Collect<ConnectionStateChange>(client, (c, h) => c.ConnectionStateChanged += h);

        var connecting = client.ConnectAsync();
        var connection = await _server.NextConnectionAsync();
        var hello = await connection.AcceptAsync(head: 50);
        await connecting.Within();

        Assert.Equal(new Uri("ws://fake.test/v1/ws"), connection.Uri);
        Assert.Equal("tok", hello.GetProperty("token").GetString());
        Assert.Equal(41, hello.GetProperty("after").GetInt64());
        Assert.False(hello.GetProperty("background").GetBoolean());
        Assert.Equal(ConnectionState.Online, client.State);
        Assert.Equal(50, client.Welcome!.Head);
        Assert.Equal(ConnectionState.Connecting, (await states.Reader.ReadAsync().Within()).State);
        Assert.Equal(ConnectionState.Online, (await states.Reader.ReadAsync().Within()).State);
    }

    [Fact]
    public async Task A_new_device_without_after_lets_the_server_choose_its_cursor()
    {
        var client = Client();

        var connecting = client.ConnectAsync();
        var hello = await (await _server.NextConnectionAsync()).AcceptAsync();
        await connecting.Within();

        Assert.False(hello.TryGetProperty("after", out _));
    }

    [Fact]
    public async Task A_burst_of_events_is_delivered_in_order_and_acknowledged_with_one_ack()
    {
        var client = Client();
        var gate = new TaskCompletionSource();
        var seen = new List<long>();
        var done = new TaskCompletionSource();
        client.MessageReceived += async (m, _) =>
        {
            seen.Add(m.Seq);
            if (m.Seq == 1) await gate.Task.Within();
            if (m.Seq == 10) done.TrySetResult();
        };
        var connection = await ConnectAsync(client);

        connection.SendMessage(1);
        for (var seq = 2; seq <= 10; seq++) connection.SendMessage(seq);
        // The reply to the ping comes after the ten events on the socket: once it is read, all ten are queued.
        var ping = client.PingAsync();
        var pingFrame = await connection.ReceiveAsync();
        connection.Send($$"""{"type":"ok","rid":"{{pingFrame.GetProperty("rid").GetString()}}","ts":5}""");
        await ping.Within();
        gate.SetResult();
        await done.Task.Within();

        var ack = await connection.ReceiveAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 9, 10], seen);
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(10, ack.GetProperty("seq").GetInt64());
        Assert.Equal(10, client.LastProcessedSeq);
        await client.DisposeAsync().AsTask().Within();
        Assert.All(await connection.DrainUntilClosedAsync(), f => Assert.NotEqual("ack", f.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_repushed_seq_is_not_delivered_twice()
    {
        var client = Client();
        var messages = CollectMessages(client);
        var connection = await ConnectAsync(client);

        foreach (var seq in new long[] { 1, 2, 2, 1, 3 }) connection.SendMessage(seq);

        Assert.Equal(1, (await messages.Reader.ReadAsync().Within()).Seq);
        Assert.Equal(2, (await messages.Reader.ReadAsync().Within()).Seq);
        Assert.Equal(3, (await messages.Reader.ReadAsync().Within()).Seq);
        Assert.False(messages.Reader.TryRead(out _));
    }

    [Fact]
    public async Task After_a_drop_the_client_resumes_after_the_last_processed_seq_and_skips_replays()
    {
        var client = Client();
        var messages = CollectMessages(client);
        var states = Collect<ConnectionStateChange>(client, (c, h) => c.ConnectionStateChanged += h);
        var first = await ConnectAsync(client);
        for (var seq = 1; seq <= 3; seq++) first.SendMessage(seq);
        for (var i = 0; i < 3; i++) await messages.Reader.ReadAsync().Within();
        Assert.Equal(3, (await first.ReceiveAsync()).GetProperty("seq").GetInt64());

        first.Close(CloseCodes.GoingAway, "restart");
        var second = await _server.NextConnectionAsync();
        var hello = await second.AcceptAsync();
        second.SendMessage(2);
        second.SendMessage(3);
        second.SendMessage(4);

        Assert.Equal(3, hello.GetProperty("after").GetInt64());
        Assert.Equal(4, (await messages.Reader.ReadAsync().Within()).Seq);
        var changes = new List<ConnectionStateChange>();
        while (changes.Count < 4) changes.Add(await states.Reader.ReadAsync().Within());
        Assert.Equal([ConnectionState.Connecting, ConnectionState.Online, ConnectionState.Reconnecting, ConnectionState.Online], changes.Select(c => c.State));
        Assert.Equal(CloseCodes.GoingAway, changes[2].CloseStatus);
    }

    [Fact]
    public async Task Events_queued_before_a_drop_are_still_delivered_once_and_not_again_from_the_replay()
    {
        var client = Client();
        var gate = new TaskCompletionSource();
        var seen = new ConcurrentQueue<long>();
        var fifth = new TaskCompletionSource();
        client.MessageReceived += async (m, _) =>
        {
            if (m.Seq == 1) await gate.Task.Within();
            seen.Enqueue(m.Seq);
            if (m.Seq == 5) fifth.TrySetResult();
        };
        var first = await ConnectAsync(client);
        for (var seq = 1; seq <= 3; seq++) first.SendMessage(seq);
        first.Drop();

        var second = await _server.NextConnectionAsync();
        var hello = await second.AcceptAsync();
        for (var seq = 1; seq <= 5; seq++) second.SendMessage(seq);
        gate.SetResult();
        await fifth.Task.Within();

        Assert.False(hello.TryGetProperty("after", out _));
        Assert.Equal([1L, 2, 3, 4, 5], seen);
    }

    [Fact]
    public async Task Close_4401_stops_reconnecting_and_fails_pending_requests_as_unauthorized()
    {
        var client = Client();
        var states = Collect<ConnectionStateChange>(client, (c, h) => c.ConnectionStateChanged += h);
        var connection = await ConnectAsync(client);
        var send = client.SendTextAsync("bob", "hi");
        await connection.ReceiveAsync();

        connection.Close(CloseCodes.Unauthorized, "logged out");

        var error = await Assert.ThrowsAsync<ParleyException>(() => send.Within());
        Assert.Equal(ErrorCodes.Unauthorized, error.Code);
        ConnectionStateChange change;
        do change = await states.Reader.ReadAsync().Within();
        while (change.State != ConnectionState.Unauthorized);
        Assert.Equal(CloseCodes.Unauthorized, change.CloseStatus);
        Assert.Equal(ConnectionState.Unauthorized, client.State);
        Assert.Equal(1, _server.Attempts);
        await Assert.ThrowsAsync<ParleyException>(() => client.PingAsync().Within());
    }

    [Fact]
    public async Task A_refused_hello_makes_ConnectAsync_throw_unauthorized()
    {
        var client = Client();

        var connecting = client.ConnectAsync();
        var connection = await _server.NextConnectionAsync();
        await connection.ReceiveAsync();
        connection.Close(CloseCodes.Unauthorized, "bad token");

        var error = await Assert.ThrowsAsync<ParleyException>(() => connecting.Within());
        Assert.Equal(ErrorCodes.Unauthorized, error.Code);
    }

    [Fact]
    public async Task Unanswered_sends_are_resent_after_reconnect_with_the_same_cid_in_the_original_order()
    {
        var client = Client();
        var first = await ConnectAsync(client);
        var sends = Enumerable.Range(1, 3).Select(i => client.SendTextAsync("bob", $"m{i}")).ToList();
        var written = new List<JsonElement>();
        for (var i = 0; i < 3; i++) written.Add(await first.ReceiveAsync());
        // The first is answered, the other two are lost with the connection.
        first.Send(SendOk(written[0], seq: 11));
        await sends[0].Within();
        first.Drop();

        var second = await _server.NextConnectionAsync();
        await second.AcceptAsync();
        var resent = new List<JsonElement> { await second.ReceiveAsync(), await second.ReceiveAsync() };
        var later = client.SendTextAsync("bob", "m4");
        var fourth = await second.ReceiveAsync();
        foreach (var frame in resent.Append(fourth)) second.Send(SendOk(frame, seq: 20));

        Assert.Equal(written.Skip(1).Select(Cid), resent.Select(Cid));
        Assert.Equal(["\"m2\"", "\"m3\""], resent.Select(f => f.GetProperty("body").GetRawText()));
        Assert.Equal("\"m4\"", fourth.GetProperty("body").GetRawText());
        await Task.WhenAll(sends).Within();
        await later.Within();
        Assert.Equal(0, client.PendingRequests);
    }

    [Fact]
    public async Task A_send_issued_while_disconnected_goes_out_after_the_next_welcome()
    {
        var client = Client();
        var first = await ConnectAsync(client);
        _server.Refuse = true;
        first.Drop();
        await WaitForStateAsync(client, ConnectionState.Reconnecting);

        var send = client.SendTextAsync("d:alice:bob", "while away");
        Assert.False(send.IsCompleted);
        _server.Refuse = false;
        var second = await _server.NextConnectionAsync();
        await second.AcceptAsync();
        var frame = await second.ReceiveAsync();
        second.Send(SendOk(frame, seq: 3));

        var result = await send.Within();
        Assert.Equal("d:alice:bob", frame.GetProperty("conv").GetString());
        Assert.False(frame.TryGetProperty("to", out _));
        Assert.Equal(3, result.Seq);
    }

    [Fact]
    public async Task A_request_not_safe_to_repeat_fails_when_the_connection_drops_after_it_was_written()
    {
        var client = Client();
        var first = await ConnectAsync(client);
        var create = client.CreateGroupAsync("Team", ["bob"]);
        var history = client.HistoryAsync("d:alice:bob");
        await first.ReceiveAsync();
        await first.ReceiveAsync();

        first.Drop();
        await Assert.ThrowsAsync<ParleyConnectionLostException>(() => create.Within());
        var second = await _server.NextConnectionAsync();
        await second.AcceptAsync();
        var again = await second.ReceiveAsync();
        second.Send($$"""{"type":"ok","rid":"{{again.GetProperty("rid").GetString()}}","messages":[]}""");

        Assert.Equal("history", again.GetProperty("type").GetString());
        Assert.Empty(await history.Within());
    }

    [Fact]
    public async Task An_error_reply_becomes_a_ParleyException_with_code_message_and_retry_hint()
    {
        var client = Client();
        var connection = await ConnectAsync(client);
        var send = client.SendTextAsync("nobody", "hi");
        var frame = await connection.ReceiveAsync();

        connection.Send($$"""{"type":"error","rid":"{{frame.GetProperty("rid").GetString()}}","code":"rate_limited","message":"slow down","retryAfterMs":1500}""");

        var error = await Assert.ThrowsAsync<ParleyException>(() => send.Within());
        Assert.Equal((ErrorCodes.RateLimited, "slow down", 1500L), (error.Code, error.Message, error.RetryAfterMs!.Value));
    }

    [Fact]
    public async Task A_request_left_without_reply_past_the_timeout_replaces_the_connection()
    {
        var time = new FakeTimeProvider();
        var client = Client(o =>
        {
            o.TimeProvider = time;
            o.RequestTimeout = TimeSpan.FromSeconds(4);
            o.ReconnectMinDelay = TimeSpan.Zero;
            o.ReconnectMaxDelay = TimeSpan.Zero;
        });
        var first = await ConnectAsync(client);
        var ping = client.PingAsync();
        await first.ReceiveAsync();

        var next = _server.NextConnectionAsync();
        // Fake time moves only when told; step it until the watchdog gives up on the silent connection.
        for (var i = 0; i < 100 && !next.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(next, Task.Delay(20));
        }
        var second = await next.Within();
        await second.AcceptAsync();
        var again = await second.ReceiveAsync();
        second.Send($$"""{"type":"ok","rid":"{{again.GetProperty("rid").GetString()}}","ts":77}""");

        Assert.Equal(77, (await ping.Within()).ServerTime);
    }

    [Fact]
    public async Task In_manual_mode_only_what_the_application_acknowledged_is_acked_and_resumed_from()
    {
        var client = Client(o => o.AckMode = AckMode.Manual);
        var messages = CollectMessages(client);
        var first = await ConnectAsync(client);
        for (var seq = 1; seq <= 3; seq++) first.SendMessage(seq);
        for (var i = 0; i < 3; i++) await messages.Reader.ReadAsync().Within();
        Assert.True(first.NothingReceived);

        client.Acknowledge(2);
        var ack = await first.ReceiveAsync();
        first.Drop();
        var hello = await (await _server.NextConnectionAsync()).AcceptAsync();

        Assert.Equal(2, ack.GetProperty("seq").GetInt64());
        Assert.Equal(2, hello.GetProperty("after").GetInt64());
    }

    [Fact]
    public async Task A_frame_over_the_servers_limit_fails_at_once_with_too_large()
    {
        var client = Client();
        var connecting = client.ConnectAsync();
        await (await _server.NextConnectionAsync()).AcceptAsync(maxFrameBytes: 1000);
        await connecting.Within();

        var error = await Assert.ThrowsAsync<ParleyException>(() => client.SendTextAsync("bob", new string('x', 2000)).Within());

        Assert.Equal(ErrorCodes.TooLarge, error.Code);
        Assert.Equal(0, client.PendingRequests);
    }

    [Fact]
    public async Task With_the_skip_policy_a_throwing_handler_is_reported_and_its_event_still_counts_as_processed()
    {
        var client = Client(o => o.HandlerFailurePolicy = HandlerFailurePolicy.Skip);
        client.MessageReceived += (_, _) => throw new InvalidOperationException("app bug");
        var failures = Collect<HandlerFailure>(client, (c, h) => c.HandlerFailed += h);
        var connection = await ConnectAsync(client);

        connection.SendMessage(1);

        var failure = await failures.Reader.ReadAsync().Within();
        Assert.Equal("app bug", failure.Exception.Message);
        Assert.Equal((1, false), (failure.Attempt, failure.WillRetry));
        Assert.Equal(1, ((MessageEvent)failure.Event).Seq);
        Assert.Equal(1, (await connection.ReceiveAsync()).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task By_default_a_throwing_handler_gets_its_event_again_and_nothing_is_acked_or_delivered_after_it_until_it_succeeds()
    {
        var client = Client();
        var failing = true;
        var seen = new ConcurrentQueue<long>();
        client.MessageReceived += (m, _) =>
        {
            if (m.Seq == 1 && Volatile.Read(ref failing)) throw new InvalidOperationException("database down");
            seen.Enqueue(m.Seq);
            return ValueTask.CompletedTask;
        };
        var failures = Collect<HandlerFailure>(client, (c, h) => c.HandlerFailed += h);
        var connection = await ConnectAsync(client);

        connection.SendMessage(1);
        connection.SendMessage(2);
        var first = await failures.Reader.ReadAsync().Within();
        var second = await failures.Reader.ReadAsync().Within();
        var seenWhileFailing = seen.ToArray();
        var ackedWhileFailing = !connection.NothingReceived;
        Volatile.Write(ref failing, false);
        var ack = await connection.ReceiveAsync();
        while (ack.GetProperty("seq").GetInt64() < 2) ack = await connection.ReceiveAsync();

        Assert.Equal((1, true), (first.Attempt, first.WillRetry));
        Assert.Equal((2, true), (second.Attempt, second.WillRetry));
        Assert.Equal(1, ((MessageEvent)second.Event).Seq);
        Assert.Empty(seenWhileFailing);
        Assert.False(ackedWhileFailing);
        Assert.Equal([1L, 2L], seen);
        Assert.Equal(2, client.LastProcessedSeq);
    }

    [Fact]
    public async Task A_failed_event_left_when_the_client_stops_is_not_processed_so_the_next_start_gets_it_again()
    {
        var client = Client();
        client.MessageReceived += (_, _) => throw new InvalidOperationException("always");
        var failures = Collect<HandlerFailure>(client, (c, h) => c.HandlerFailed += h);
        var connection = await ConnectAsync(client);

        connection.SendMessage(1);
        await failures.Reader.ReadAsync().Within();
        await client.DisposeAsync().AsTask().Within();

        Assert.Equal(0, client.LastProcessedSeq);
        Assert.All(await connection.DrainUntilClosedAsync(), f => Assert.NotEqual("ack", f.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task ConnectAsync_fails_at_once_when_the_first_attempt_cannot_reach_the_server_and_may_be_called_again()
    {
        var client = Client(o => o.ReconnectMinDelay = o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(1));
        _server.Refuse = true;

        var error = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().Within());
        var attempts = _server.Attempts;
        var state = client.State;
        _server.Refuse = false;
        var again = client.ConnectAsync();
        await (await _server.NextConnectionAsync()).AcceptAsync();
        await again.Within();

        Assert.Equal(ClientErrorCodes.Unreachable, error.Code);
        Assert.Contains("http://fake.test/", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused (fake)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, attempts);
        Assert.Equal(ConnectionState.Disconnected, state);
        Assert.Equal(ConnectionState.Online, client.State);
    }

    [Fact]
    public async Task A_reconnect_refused_with_Retry_After_is_not_tried_again_before_then_and_then_goes_online()
    {
        // Backoff alone would try again within 5 ms.
        var client = Client();
        var states = Collect<ConnectionStateChange>(client, (c, h) => c.ConnectionStateChanged += h);
        var connection = await ConnectAsync(client);
        _server.Refusal = (503, TimeSpan.FromSeconds(1));

        connection.Drop();
        await Bounded.EventuallyAsync(() => _server.AttemptLog.Any(a => a.Refused), "a refused reconnect");
        _server.Refusal = null;
        await (await _server.NextConnectionAsync()).AcceptAsync();
        ConnectionStateChange change;
        do change = await states.Reader.ReadAsync().AsTask().Within();
        while (change is not { State: ConnectionState.Online, Previous: ConnectionState.Reconnecting });

        var log = _server.AttemptLog;
        for (var i = 1; i < log.Count; i++)
        {
            if (!log[i - 1].Refused) continue;
            var waited = System.Diagnostics.Stopwatch.GetElapsedTime(log[i - 1].At, log[i].At);
            Assert.True(waited >= TimeSpan.FromSeconds(0.95), $"attempt {i + 1} came {waited.TotalMilliseconds:0} ms after a refused one");
        }
        Assert.Contains(log, a => a.Refused);
        Assert.Equal(ConnectionState.Online, client.State);
    }

    [Fact]
    public async Task A_first_connect_refused_with_503_throws_overloaded_with_the_retry_hint_and_may_be_called_again()
    {
        var client = Client();
        _server.Refusal = (503, TimeSpan.FromSeconds(7));

        var error = await Assert.ThrowsAsync<ParleyException>(() => client.ConnectAsync().Within());
        var state = client.State;
        _server.Refusal = null;
        await ConnectAsync(client);

        Assert.Equal((ErrorCodes.Overloaded, 7000L, 503), (error.Code, error.RetryAfterMs, error.HttpStatus));
        Assert.Contains("http://fake.test/", error.Message, StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Disconnected, state);
        Assert.Equal(1, _server.AttemptLog.Count(a => a.Refused));
    }

    [Fact]
    public async Task A_close_before_the_first_welcome_fails_ConnectAsync_with_the_close_code()
    {
        var client = Client();

        var connecting = client.ConnectAsync();
        var connection = await _server.NextConnectionAsync();
        await connection.ReceiveAsync();
        connection.Close(1001, "shutting down");

        var error = await Assert.ThrowsAsync<ParleyException>(() => connecting.Within());
        Assert.Equal(ClientErrorCodes.Unreachable, error.Code);
        Assert.Contains("closed with 1001 (shutting down)", error.Message, StringComparison.Ordinal);
        Assert.False(_server.TryGetConnection(out _));
    }

    [Fact]
    public async Task Cancelling_a_request_removes_it_from_the_outbox()
    {
        var client = Client();
        await ConnectAsync(client);
        using var cts = new CancellationTokenSource();
        var history = client.HistoryAsync("d:alice:bob", cancellationToken: cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => history.Within());
        Assert.Equal(0, client.PendingRequests);
    }

    [Fact]
    public async Task Dispose_closes_politely_and_fails_what_is_still_pending()
    {
        var client = Client();
        var connection = await ConnectAsync(client);
        var history = client.HistoryAsync("d:alice:bob");
        await connection.ReceiveAsync();

        await client.DisposeAsync().AsTask().Within();

        Assert.True(connection.ClientClosed);
        Assert.Equal(ConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => history.Within());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.PingAsync());
    }

    [Fact]
    public async Task Presence_subscriptions_and_away_are_renewed_on_every_connection()
    {
        var client = Client();
        var first = await ConnectAsync(client);
        var subscribe = client.SubscribePresenceAsync(["bob"]);
        var frame = await first.ReceiveAsync();
        first.Send($$"""{"type":"ok","rid":"{{frame.GetProperty("rid").GetString()}}","presence":[{"user":"bob","online":true,"lastSeen":null}]}""");
        Assert.True(Assert.Single(await subscribe.Within()).Online);
        var away = client.SetPresenceAsync(PresenceStates.Away);
        var awayFrame = await first.ReceiveAsync();
        first.Send($$"""{"type":"ok","rid":"{{awayFrame.GetProperty("rid").GetString()}}"}""");
        await away.Within();

        first.Drop();
        var second = await _server.NextConnectionAsync();
        await second.AcceptAsync();
        var setup = new[] { await second.ReceiveAsync(), await second.ReceiveAsync() };

        Assert.Contains(setup, f => f.GetProperty("type").GetString() == "presence.subscribe" && f.GetProperty("users")[0].GetString() == "bob");
        Assert.Contains(setup, f => f.GetProperty("type").GetString() == "presence.set" && f.GetProperty("state").GetString() == "away");
        Assert.All(setup, f => Assert.False(f.TryGetProperty("rid", out _)));
    }

    [Fact]
    public async Task A_handler_may_dispose_the_client()
    {
        var client = Client();
        var disposed = new TaskCompletionSource();
        client.MessageReceived += async (_, _) =>
        {
            await client.DisposeAsync();
            disposed.TrySetResult();
        };
        var connection = await ConnectAsync(client);

        connection.SendMessage(1);

        await disposed.Task.Within();
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    [Fact]
    public async Task Dispose_does_not_hang_on_a_handler_that_awaits_an_unanswered_request()
    {
        var client = Client();
        var waiting = new TaskCompletionSource();
        var outcome = new TaskCompletionSource<Exception?>();
        client.MessageReceived += async (_, _) =>
        {
            // Deliberately not the handler's token: the request must fail by the dispose itself.
            var ping = client.PingAsync(CancellationToken.None);
            waiting.TrySetResult();
            try
            {
                await ping;
                outcome.TrySetResult(null);
            }
            catch (ObjectDisposedException e)
            {
                outcome.TrySetResult(e);
            }
        };
        var connection = await ConnectAsync(client);
        connection.SendMessage(1);
        await waiting.Task.Within();

        await client.DisposeAsync().AsTask().Within();

        Assert.IsType<ObjectDisposedException>(await outcome.Task.Within());
    }

    private static string Cid(JsonElement sendFrame) => sendFrame.GetProperty("cid").GetString()!;

    private static string SendOk(JsonElement sendFrame, long seq) =>
        $$"""{"type":"ok","rid":"{{sendFrame.GetProperty("rid").GetString()}}","id":"id-{{Cid(sendFrame)}}","n":1,"conv":"d:alice:bob","seq":{{seq}},"ts":1}""";

    private static async Task WaitForStateAsync(ParleyClient client, ConnectionState state)
    {
        var reached = new TaskCompletionSource();
        ParleyHandler<ConnectionStateChange> handler = (c, _) =>
        {
            if (c.State == state) reached.TrySetResult();
            return ValueTask.CompletedTask;
        };
        client.ConnectionStateChanged += handler;
        try
        {
            if (client.State != state) await reached.Task.Within();
        }
        finally
        {
            client.ConnectionStateChanged -= handler;
        }
    }
}
