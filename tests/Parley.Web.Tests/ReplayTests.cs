using System.Text.Json;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// A fresh page replays its whole inbox while its <c>convs</c> snapshot already gives every group as it is now: the
/// replayed group and settings events must never take a group back to an older state, not even for a moment.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReplayTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Replayed_group_events_never_take_a_group_back_from_what_convs_gave()
    {
        var server = fixture.Server;
        var (bob, carol, dave, erin) = (Pair.Unique("bob_"), Pair.Unique("carol_"), Pair.Unique("dave_"), Pair.Unique("erin_"));
        foreach (var user in new[] { bob, dave, erin }) await WireClient.LoginAsync(server, user, ChatPage.Password);
        await using var c = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, carol, ChatPage.Password));

        // Carol's group with bob in it goes through changes: dave removed, erin added, renamed, disappearing messages
        // turned on and off again. Its `created` event names dave and the first name.
        var book = (await Ok(c, new() { ["type"] = "group.create", ["name"] = "Book club", ["members"] = new[] { carol, bob, dave } }))
            .GetProperty("conv").GetString()!;
        await Accounts.SendAsync(c, book, "First meeting on Monday");
        await Ok(c, new() { ["type"] = "retention", ["conv"] = book, ["ttl"] = 86400 });
        await Ok(c, new() { ["type"] = "retention", ["conv"] = book, ["ttl"] = null });
        await Ok(c, new() { ["type"] = "group.remove", ["conv"] = book, ["member"] = dave });
        await Ok(c, new() { ["type"] = "group.add", ["conv"] = book, ["members"] = new[] { erin } });
        await Ok(c, new() { ["type"] = "group.rename", ["conv"] = book, ["name"] = "Reading circle" });
        // A group bob was removed from, which changed after he went: he gets none of those events, only `convs` has them.
        var team = (await Ok(c, new() { ["type"] = "group.create", ["name"] = "Old team", ["members"] = new[] { carol, bob } }))
            .GetProperty("conv").GetString()!;
        await Accounts.SendAsync(c, team, "Welcome to the team");
        await Ok(c, new() { ["type"] = "group.remove", ["conv"] = team, ["member"] = bob });
        await Ok(c, new() { ["type"] = "group.add", ["conv"] = team, ["members"] = new[] { dave } });
        await Ok(c, new() { ["type"] = "group.rename", ["conv"] = team, ["name"] = "New team" });

        // Bob logs in on a fresh page: a new device, sent his whole inbox. The replies and the inbox travel separately
        // (docs/protocol.md), so the test picks the order: the `convs` reply first, then the replay, one event at a time.
        await using var b = await ChatPage.OpenAsync(fixture.Browser, server.BaseUri, bob, output);
        var gate = new ReplayGate();
        await b.Page.RouteWebSocketAsync("**/v1/ws", gate.Route);
        await b.LogInAsync();
        await gate.ConvsDelivered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // The snapshot: both groups as they are now. Bob opens the one he is in, so that its members are on screen.
        var status = $"{string.Join(", ", new[] { carol, erin }.Order(StringComparer.Ordinal))}, You";
        await Expect(b.ChatItem("New team")).ToBeVisibleAsync();
        await b.OpenChatAsync("Reading circle");
        await Expect(b.Status).ToHaveTextAsync(status);
        await Expect(b.Page.Locator("#btn-timer")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));

        // Each replayed event in turn: the page has processed it once it acks its seq, and has shown it after a frame.
        // What the page shows after each one is checked, and every difference from the snapshot is told at the end.
        var released = 0;
        var wrong = new List<string>();
        while (gate.ReleaseNext() is { } seq)
        {
            released++;
            await gate.AckedAsync(seq);
            await b.Page.EvaluateAsync("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
            var shown = await b.Page.EvaluateAsync<JsonElement>("""
                () => ({
                  status: document.getElementById('chat-status').textContent,
                  timer: document.getElementById('btn-timer').classList.contains('active'),
                  chats: [...document.querySelectorAll('.chat-item-name')].map((e) => e.textContent),
                })
                """);
            var chats = shown.GetProperty("chats").EnumerateArray().Select(e => e.GetString()).ToList();
            output.WriteLine($"after seq {seq}: {shown}");
            if (shown.GetProperty("status").GetString() != status) wrong.Add($"after seq {seq} the members shown are {shown.GetProperty("status")}");
            if (shown.GetProperty("timer").GetBoolean()) wrong.Add($"after seq {seq} disappearing messages are shown on");
            if (!chats.Contains("Reading circle") || !chats.Contains("New team")) wrong.Add($"after seq {seq} the chats are {shown.GetProperty("chats")}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // Bob's inbox: 7 events of the first group (created, message, 2 settings, removed, added, renamed), 3 of the second.
        Assert.True(released >= 10, $"only {released} events were replayed");

        // And the replay is all in: its message is shown, the state is still the snapshot's.
        await Expect(b.Bubble("First meeting on Monday")).ToHaveCountAsync(1);
        await Expect(b.Status).ToHaveTextAsync(status);
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-members li")).ToHaveCountAsync(3);
        await Expect(b.Page.Locator($"#info-members li[data-member='{dave}']")).ToHaveCountAsync(0);
        await b.Page.Keyboard.PressAsync("Escape");
        await b.OpenChatAsync("New team");
        await Expect(b.Page.Locator("#left-note")).ToBeVisibleAsync();
        Assert.Equal(1, gate.Sockets);
    }

    private static async Task<JsonElement> Ok(WireClient client, Dictionary<string, object?> frame)
    {
        var reply = await client.RequestAsync(frame);
        Assert.True(reply.GetProperty("type").GetString() == "ok", $"{frame["type"]}: {reply}");
        return reply;
    }

    /// <summary>
    /// Stands between the page and the server: passes every frame on, except the inbox events after the welcome, which
    /// it holds until the page has the <c>convs</c> reply and the test releases them, one at a time. It also follows
    /// the page's acks.
    /// </summary>
    private sealed class ReplayGate
    {
        private readonly object _lock = new();
        private readonly Queue<(long Seq, string Text)> _held = new();
        private readonly List<(long Seq, TaskCompletionSource Done)> _ackWaiters = [];
        private IWebSocketRoute? _page;
        private string? _convsRid;
        private long _acked;

        public TaskCompletionSource ConvsDelivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How many sockets the page opened.</summary>
        public int Sockets { get; private set; }

        public void Route(IWebSocketRoute page)
        {
            lock (_lock)
            {
                Sockets++;
                // A second socket (a reconnect) is passed through as it is; the test expects none (see Sockets).
                if (_page is not null)
                {
                    page.ConnectToServer();
                    return;
                }
                _page = page;
            }
            var server = page.ConnectToServer();
            page.OnMessage(frame =>
            {
                // The protocol is text frames only; anything else goes on untouched.
                if (frame.Text is not { } text)
                {
                    if (frame.Binary is { } bytes) server.Send(bytes);
                    return;
                }
                using (var doc = JsonDocument.Parse(text))
                {
                    var root = doc.RootElement;
                    switch (root.GetProperty("type").GetString())
                    {
                        case "convs":
                            lock (_lock) _convsRid = root.GetProperty("rid").GetString();
                            break;
                        case "ack":
                            Acked(root.GetProperty("seq").GetInt64());
                            break;
                    }
                }
                server.Send(text);
            });
            server.OnMessage(frame =>
            {
                if (frame.Text is not { } text)
                {
                    if (frame.Binary is { } bytes) page.Send(bytes);
                    return;
                }
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                // Inbox events carry a seq (a send's ok does too, but bob sends nothing here).
                var type = root.GetProperty("type").GetString();
                if (type is not ("ok" or "error") && root.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number)
                {
                    lock (_lock) _held.Enqueue((seq.GetInt64(), text));
                    return;
                }
                page.Send(text);
                bool isConvs;
                lock (_lock) isConvs = _convsRid is not null && root.TryGetProperty("rid", out var rid) && rid.GetString() == _convsRid;
                if (isConvs) ConvsDelivered.TrySetResult();
            });
        }

        /// <summary>Passes the next held inbox event on to the page; null when none is held.</summary>
        public long? ReleaseNext()
        {
            lock (_lock)
            {
                if (!_held.TryDequeue(out var next)) return null;
                _page!.Send(next.Text);
                return next.Seq;
            }
        }

        /// <summary>Completes once the page has acked <paramref name="seq"/>.</summary>
        public Task AckedAsync(long seq)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (_acked >= seq) return Task.CompletedTask;
                _ackWaiters.Add((seq, done));
            }
            return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        private void Acked(long seq)
        {
            List<TaskCompletionSource> ready;
            lock (_lock)
            {
                _acked = Math.Max(_acked, seq);
                ready = [.. _ackWaiters.Where(w => w.Seq <= _acked).Select(w => w.Done)];
                _ackWaiters.RemoveAll(w => w.Seq <= _acked);
            }
            foreach (var done in ready) done.TrySetResult();
        }
    }
}
