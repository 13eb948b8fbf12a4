using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Tests;

/// <summary>
/// What every store implementation must do. Each implementation's test class derives from this and
/// says how to open (and reopen) its store.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private long _clock = 1_800_000_000_000;

    protected IUserStore Users { get; private set; } = null!;
    protected IMessageStore Messages { get; private set; } = null!;

    /// <summary>Opens the store on the test's storage (the same storage when called again after <see cref="CloseAsync"/>).</summary>
    protected abstract Task<(IUserStore Users, IMessageStore Messages)> OpenAsync();

    protected abstract Task CloseAsync();

    /// <summary>
    /// Turns the (closed) store's storage back into the layout before the counters had rows of their own: each user's
    /// inbox head and delivered watermark in its users row (a deleted account's too, as that layout kept them), the
    /// schema version before the migration that moves them.
    /// </summary>
    protected abstract Task RevertToCountersInUsersAsync();

    public async Task InitializeAsync() => (Users, Messages) = await OpenAsync();

    public async Task DisposeAsync() => await CloseAsync();

    protected async Task ReopenAsync()
    {
        await CloseAsync();
        (Users, Messages) = await OpenAsync();
    }

    private long Now() => Interlocked.Increment(ref _clock);

    private async Task UsersAsync(params string[] names)
    {
        foreach (var name in names) Assert.True(await Users.CreateUserAsync(new NewUser(name, name, "hash", Now()), default));
    }

    private async Task<AppendResult> SendAsync(string from, string to, string cid, string body = "\"hi\"")
    {
        var conv = Core.Conversations.ConversationId.Direct(from, to);
        string[] participants = from == to ? [from] : [from, to];
        var pending = await Messages.EnqueueAppendAsync(
            new NewMessage(Guid.NewGuid().ToString("N"), conv.Value, from, participants, cid, "text", Encoding.UTF8.GetBytes(body), Now(), null), default);
        return await pending.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Messages_get_gap_free_positions_and_each_participant_an_inbox_entry()
    {
        await UsersAsync("alice", "bob");
        var first = await SendAsync("alice", "bob", "c1");
        var second = await SendAsync("bob", "alice", "c2");
        Assert.Equal(AppendStatus.Stored, first.Status);
        Assert.Equal((1L, 2L), (first.Message!.N, second.Message!.N));
        Assert.Equal([("alice", 1L), ("bob", 1L)], first.Writes.Select(w => (w.User, w.Entry.Seq)));
        Assert.Equal(2L, second.Message.SenderSeq);
        Assert.Equal(2L, await Messages.GetInboxHeadAsync(new Username("bob"), default));
        var inbox = await Messages.ReadInboxAsync(new Username("bob"), 0, 10, default);
        Assert.Equal([1L, 2L], inbox.Select(e => e.Message!.N));
    }

    [Fact]
    public async Task A_repeated_cid_returns_the_first_message_and_stores_nothing()
    {
        await UsersAsync("alice", "bob");
        var first = await SendAsync("alice", "bob", "same", "\"one\"");
        var again = await SendAsync("alice", "bob", "same", "\"two\"");
        Assert.Equal(AppendStatus.Duplicate, again.Status);
        Assert.Equal(first.Message!.Id, again.Message!.Id);
        Assert.Equal("\"one\"", Encoding.UTF8.GetString(again.Message.Body));
        Assert.Empty(again.Writes);
        Assert.Equal(1L, await Messages.GetInboxHeadAsync(new Username("bob"), default));
    }

    [Fact]
    public async Task A_message_to_a_missing_user_stores_nothing()
    {
        await UsersAsync("alice");
        var result = await SendAsync("alice", "nobody", "c1");
        Assert.Equal(AppendStatus.ParticipantNotFound, result.Status);
        Assert.Equal(0L, await Messages.GetInboxHeadAsync(new Username("alice"), default));
        Assert.Empty(await Messages.GetHistoryAsync(ConversationId.Parse("d:alice:nobody"), new Username("alice"), 0, null, 50, default));
    }

    [Fact]
    public async Task Bodies_are_stored_byte_for_byte()
    {
        await UsersAsync("alice", "bob");
        const string body = """{ "z" : 1.0e2, "a":"\u00e9" }""";
        await SendAsync("alice", "bob", "c1", body);
        var history = await Messages.GetHistoryAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 0, null, 50, default);
        Assert.Equal(body, Encoding.UTF8.GetString(history.Single().Body));
    }

    [Fact]
    public async Task The_first_ack_of_any_device_delivers_and_writes_one_receipt()
    {
        await UsersAsync("alice", "bob");
        await Users.CreateDeviceAsync(new NewDevice("phone", "bob", "phone", [1], Now(), long.MaxValue), default);
        await Users.CreateDeviceAsync(new NewDevice("laptop", "bob", "laptop", [2], Now(), long.MaxValue), default);
        await SendAsync("alice", "bob", "c1");
        await SendAsync("alice", "bob", "c2");

        var writes = (await Messages.AckAsync(new Username("bob"), "phone", 2, default)).Writes;
        var receipt = Assert.Single(writes);
        Assert.Equal("alice", receipt.User);
        Assert.Equal((InboxEntryKind.Receipt, ReceiptStatus.Delivered, 2L, "bob"), (receipt.Entry.Kind, receipt.Entry.Status, receipt.Entry.N, receipt.Entry.Actor));
        Assert.Empty((await Messages.AckAsync(new Username("bob"), "laptop", 2, default)).Writes);
        Assert.Equal(2L, (await Users.FindDeviceAsync([2], Now(), default))!.AckedSeq);
    }

    [Fact]
    public async Task An_ack_owes_a_receipt_for_the_newest_message_of_the_other_and_none_for_ones_own()
    {
        await UsersAsync("alice", "bob");
        await Users.CreateDeviceAsync(new NewDevice("bobphone", "bob", "phone", [6], Now(), long.MaxValue), default);
        await Users.CreateDeviceAsync(new NewDevice("alicephone", "alice", "phone", [7], Now(), long.MaxValue), default);
        await SendAsync("alice", "bob", "c1");
        await SendAsync("bob", "alice", "c2");
        await SendAsync("alice", "bob", "c3");

        // Bob's inbox: alice's n1, his own n2, alice's n3.
        var receipt = Assert.Single((await Messages.AckAsync(new Username("bob"), "bobphone", 3, default)).Writes);
        Assert.Equal(("alice", InboxEntryKind.Receipt, ReceiptStatus.Delivered, 3L), (receipt.User, receipt.Entry.Kind, receipt.Entry.Status, receipt.Entry.N));
        await SendAsync("bob", "alice", "c4");
        Assert.Empty((await Messages.AckAsync(new Username("bob"), "bobphone", 4, default)).Writes);

        // Alice's inbox: her n1, bob's n2, her n3, bob's receipt, bob's n4.
        receipt = Assert.Single((await Messages.AckAsync(new Username("alice"), "alicephone", 5, default)).Writes);
        Assert.Equal(("bob", ReceiptStatus.Delivered, 4L, "alice"), (receipt.User, receipt.Entry.Status, receipt.Entry.N, receipt.Entry.Actor));
        Assert.Empty((await Messages.AckAsync(new Username("alice"), "alicephone", 5, default)).Writes);
        Assert.Equal(5L, (await Users.FindDeviceAsync([7], Now(), default))!.AckedSeq);
    }

    [Fact]
    public async Task A_group_message_reaches_every_member_and_their_acks_move_the_group_markers_once()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"m{i:D2}").ToArray();
        await UsersAsync(names);
        var groups = (IGroupStore)Messages;
        const string conv = "g:0000000000000002";
        Assert.Equal(Core.Groups.GroupStatus.Ok, (await groups.CreateGroupAsync(ConversationId.Parse(conv), new Username(names[0]), "many", names[1..], 100, Now(), default)).Status);
        var heads = new Dictionary<string, long>();
        foreach (var name in names) heads[name] = await Messages.GetInboxHeadAsync(new Username(name), default);

        var pending = await Messages.EnqueueAppendAsync(
            new NewMessage(Guid.NewGuid().ToString("N"), conv, names[5], null, "g1", "text", "\"hi all\""u8.ToArray(), Now(), null), default);
        var sent = await pending.WaitAsync(Timeout);
        Assert.Equal(AppendStatus.Stored, sent.Status);
        Assert.Equal(names, sent.Writes.Select(w => w.User));
        foreach (var name in names)
        {
            var entry = Assert.Single(await Messages.ReadInboxAsync(new Username(name), heads[name], 10, default));
            Assert.Equal((heads[name] + 1, InboxEntryKind.Message, sent.Message!.N, names[5]), (entry.Seq, entry.Kind, entry.N, entry.Actor));
            Assert.Contains(sent.Writes, w => w.User == name && w.Entry.Seq == entry.Seq);
        }

        await Users.CreateDeviceAsync(new NewDevice("m07phone", names[7], "phone", [8], Now(), long.MaxValue), default);
        var ack = await Messages.AckAsync(new Username(names[7]), "m07phone", heads[names[7]] + 1, default);
        Assert.Equal([conv], ack.Groups);
        Assert.Empty(ack.Writes);
        Assert.Empty((await Messages.AckAsync(new Username(names[7]), "m07phone", heads[names[7]] + 1, default)).Groups);
        // The sender's ack of its own message moves no marker.
        await Users.CreateDeviceAsync(new NewDevice("m05phone", names[5], "phone", [9], Now(), long.MaxValue), default);
        Assert.Empty((await Messages.AckAsync(new Username(names[5]), "m05phone", heads[names[5]] + 1, default)).Groups);
    }

    [Fact]
    public async Task Acks_beyond_the_head_are_taken_as_the_head()
    {
        await UsersAsync("alice", "bob");
        await Users.CreateDeviceAsync(new NewDevice("phone", "bob", "phone", [3], Now(), long.MaxValue), default);
        await SendAsync("alice", "bob", "c1");
        await Messages.AckAsync(new Username("bob"), "phone", 99, default);
        Assert.Equal(1L, (await Users.FindDeviceAsync([3], Now(), default))!.AckedSeq);
    }

    [Fact]
    public async Task Reading_moves_delivered_along_never_backward_and_stops_at_the_last_message()
    {
        await UsersAsync("alice", "bob");
        await SendAsync("alice", "bob", "c1");
        await SendAsync("alice", "bob", "c2");

        var writes = (await Messages.MarkReadAsync(new Username("bob"), ConversationId.Parse("d:alice:bob"), 50, default)).Writes;
        Assert.Equal([(ReceiptStatus.Delivered, 2L), (ReceiptStatus.Read, 2L)], writes.Select(w => (w.Entry.Status!.Value, w.Entry.N)));
        Assert.All(writes, w => Assert.Equal("alice", w.User));
        Assert.Empty((await Messages.MarkReadAsync(new Username("bob"), ConversationId.Parse("d:alice:bob"), 1, default)).Writes);
        var conv = Assert.Single(await Messages.GetConversationsAsync(new Username("bob"), includeLeft: false, default));
        Assert.Equal((2L, 2L, 0L), (conv.LastN, conv.ReadUpTo, conv.Unread));
        // alice's list carries bob's markers: her ticks after a reload come from them.
        var alices = Assert.Single(await Messages.GetConversationsAsync(new Username("alice"), includeLeft: false, default));
        Assert.Equal((2L, 2L), (alices.PeerDelivered, alices.PeerRead));
        Assert.Equal((0L, 0L), (conv.PeerDelivered, conv.PeerRead));
    }

    [Fact]
    public async Task Reading_only_ones_own_messages_owes_no_receipt()
    {
        await UsersAsync("alice", "bob");
        await SendAsync("alice", "bob", "c1");
        Assert.Empty((await Messages.MarkReadAsync(new Username("alice"), ConversationId.Parse("d:alice:bob"), 1, default)).Writes);
    }

    [Fact]
    public async Task History_returns_the_newest_before_a_position_ascending()
    {
        await UsersAsync("alice", "bob");
        for (var i = 1; i <= 10; i++) await SendAsync("alice", "bob", $"c{i}");
        var page = await Messages.GetHistoryAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 0, 8, 3, default);
        Assert.Equal([5L, 6L, 7L], page.Select(m => m.N));
        Assert.Equal([9L, 10L], (await Messages.GetHistoryAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 0, null, 2, default)).Select(m => m.N));
    }

    [Fact]
    public async Task Many_concurrent_sends_commit_with_unique_gap_free_positions()
    {
        await UsersAsync("alice", "bob");
        var pending = new List<Task<AppendResult>>();
        for (var i = 0; i < 500; i++)
        {
            var conv = "d:alice:bob";
            pending.Add(await Messages.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), conv, i % 2 == 0 ? "alice" : "bob",
                ["alice", "bob"], $"c{i}", "text", "\"x\""u8.ToArray(), Now(), null), default));
        }
        var results = await Task.WhenAll(pending).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), results.Select(r => r.Message!.N));
        Assert.Equal(500L, await Messages.GetInboxHeadAsync(new Username("bob"), default));
    }

    [Fact]
    public async Task Sends_and_acks_of_many_users_committed_together_each_find_their_own_rows()
    {
        // More users, conversations and (sender, cid) pairs than one lookup statement of the SQLite writer takes (16), queued
        // at once so that they share transactions: duplicates, new sends, a missing recipient and acks owing receipts.
        const int pairs = 20;
        var names = Enumerable.Range(0, 2 * pairs).Select(i => $"u{i:D2}").ToArray();
        await UsersAsync(names);
        for (var i = 0; i < pairs; i++) await Users.CreateDeviceAsync(new NewDevice($"dev{2 * i + 1}", names[2 * i + 1], "phone", [(byte)i], Now(), long.MaxValue), default);
        var earlier = new Dictionary<int, AppendResult>();
        for (var i = 0; i < pairs / 2; i++) earlier[i] = await SendAsync(names[2 * i], names[2 * i + 1], "first");

        var firsts = new List<Task<AppendResult>>();
        var replies = new List<Task<AppendResult>>();
        var acks = new List<Task<MarkerResult>>();
        for (var i = 0; i < pairs; i++)
        {
            var (a, b) = (names[2 * i], names[2 * i + 1]);
            var conv = ConversationId.Direct(a, b).Value;
            firsts.Add(await Messages.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), conv, a, [a, b], "first", "text", "\"1\""u8.ToArray(), Now(), null), default));
            replies.Add(await Messages.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), conv, b, [a, b], "reply", "text", "\"2\""u8.ToArray(), Now(), null), default));
            if (i < pairs / 2) acks.Add(Messages.AckAsync(new Username(b), $"dev{2 * i + 1}", 1, default));
        }
        var ghost = await Messages.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), "d:ghost:u00", "u00", ["u00", "ghost"], "lost", "text",
            "\"3\""u8.ToArray(), Now(), null), default);

        for (var i = 0; i < pairs; i++)
        {
            var first = await firsts[i].WaitAsync(Timeout);
            var reply = await replies[i].WaitAsync(Timeout);
            if (i < pairs / 2)
            {
                Assert.Equal(AppendStatus.Duplicate, first.Status);
                Assert.Equal(earlier[i].Message!.Id, first.Message!.Id);
                Assert.Empty(first.Writes);
            }
            else
            {
                Assert.Equal(AppendStatus.Stored, first.Status);
                Assert.Equal(1L, first.Message!.N);
            }
            Assert.Equal(AppendStatus.Stored, reply.Status);
            Assert.Equal(2L, reply.Message!.N);
        }
        for (var i = 0; i < pairs / 2; i++)
        {
            var receipt = Assert.Single((await acks[i].WaitAsync(Timeout)).Writes);
            Assert.Equal((names[2 * i], InboxEntryKind.Receipt, ReceiptStatus.Delivered, 1L, names[2 * i + 1]),
                (receipt.User, receipt.Entry.Kind, receipt.Entry.Status, receipt.Entry.N, receipt.Entry.Actor));
        }
        Assert.Equal(AppendStatus.ParticipantNotFound, (await ghost.WaitAsync(Timeout)).Status);
    }

    [Fact]
    public async Task What_was_committed_is_there_after_reopening()
    {
        await UsersAsync("alice", "bob");
        var sent = await SendAsync("alice", "bob", "c1");
        await ReopenAsync();
        Assert.Equal(sent.Message!.Id, (await Messages.GetHistoryAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 0, null, 50, default)).Single().Id);
        Assert.Equal(AppendStatus.Duplicate, (await SendAsync("alice", "bob", "c1")).Status);
        Assert.False(await Users.CreateUserAsync(new NewUser("alice", "x", "y", Now()), default));
    }

    [Fact]
    public async Task Retention_sets_expiry_and_the_sweeper_deletes_expired_messages_with_their_inbox_entries()
    {
        await UsersAsync("alice", "bob");
        var settings = await Messages.SetRetentionAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), ["alice", "bob"], 1, Now(), default);
        Assert.Equal(["alice", "bob"], settings.Writes.Select(w => w.User).Order());
        Assert.All(settings.Writes, w => Assert.Equal((InboxEntryKind.Settings, 1L), (w.Entry.Kind, w.Entry.N)));
        var sent = await SendAsync("alice", "bob", "c1");
        Assert.Equal(sent.Message!.Ts + 1000, sent.Message.ExpiresAt);

        Assert.Equal(0, await Messages.SweepExpiredAsync(sent.Message.Ts + 999, 100, default));
        Assert.Equal(1, await Messages.SweepExpiredAsync(sent.Message.Ts + 1000, 100, default));
        Assert.DoesNotContain(await Messages.ReadInboxAsync(new Username("bob"), 0, 10, default), e => e.Kind == InboxEntryKind.Message);
    }

    [Fact]
    public async Task Deleting_for_everyone_keeps_the_cid_and_drops_the_body()
    {
        await UsersAsync("alice", "bob");
        await SendAsync("alice", "bob", "c1", "\"secret\"");
        Assert.Equal(Core.Messages.ChangeStatus.Forbidden, (await Messages.DeleteMessageAsync(ConversationId.Parse("d:alice:bob"), new Username("bob"), 1, Now(), default)).Status);
        var deleted = await Messages.DeleteMessageAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 1, Now(), default);
        Assert.Equal(2, deleted.Writes.Count(w => w.Entry.Kind == InboxEntryKind.Deleted));
        Assert.Empty(await Messages.GetHistoryAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 0, null, 50, default));
        Assert.Equal(AppendStatus.Duplicate, (await SendAsync("alice", "bob", "c1")).Status);
        Assert.Equal(Core.Messages.ChangeStatus.NotFound, (await Messages.DeleteMessageAsync(ConversationId.Parse("d:alice:bob"), new Username("alice"), 1, Now(), default)).Status);
    }

    [Fact]
    public async Task Revoked_and_expired_devices_are_not_found()
    {
        await UsersAsync("alice");
        await Users.CreateDeviceAsync(new NewDevice("d1", "alice", "phone", [9, 9], Now(), long.MaxValue), default);
        await Users.CreateDeviceAsync(new NewDevice("d2", "alice", "old", [8, 8], Now(), 5), default);
        Assert.Equal("alice", (await Users.FindDeviceAsync([9, 9], Now(), default))?.Username);
        Assert.Null(await Users.FindDeviceAsync([8, 8], Now(), default));
        Assert.True(await Users.RevokeDeviceAsync("d1", Now(), default));
        Assert.False(await Users.RevokeDeviceAsync("d1", Now(), default));
        Assert.Null(await Users.FindDeviceAsync([9, 9], Now(), default));
    }

    [Fact]
    public async Task Messages_pending_past_the_cutoff_leave_the_inbox_and_fail_for_their_senders_in_bounded_batches()
    {
        await UsersAsync("alice", "bob");
        await Users.CreateDeviceAsync(new NewDevice("phone", "bob", "phone", [4], Now(), long.MaxValue), default);
        var delivered = await SendAsync("alice", "bob", "c1");
        await Messages.AckAsync(new Username("bob"), "phone", 1, default);
        var old1 = await SendAsync("alice", "bob", "c2");
        var old2 = await SendAsync("alice", "bob", "c3");
        var recent = await SendAsync("alice", "bob", "c4");
        var cutoff = old2.Message!.Ts;

        var first = await Messages.FailUndeliveredAsync(cutoff, Now(), 1, default);
        var second = await Messages.FailUndeliveredAsync(cutoff, Now(), 1, default);
        var none = await Messages.FailUndeliveredAsync(cutoff, Now(), 10, default);
        Assert.Equal((1, 1, 0), (first.Dropped, second.Dropped, none.Dropped));
        var failed = first.Writes.Concat(second.Writes).ToList();
        Assert.All(failed, w => Assert.Equal(("alice", InboxEntryKind.Failed, "d:alice:bob", "bob"), (w.User, w.Entry.Kind, w.Entry.Conv, w.Entry.Actor)));
        Assert.Equal([old1.Message!.N, old2.Message.N], failed.Select(w => w.Entry.N));
        using (var data = System.Text.Json.JsonDocument.Parse(failed[0].Entry.Data!))
        {
            Assert.Equal(("c2", old1.Message.Id, "bob", "expired"), (data.RootElement.GetProperty("cid").GetString(), data.RootElement.GetProperty("id").GetString(),
                data.RootElement.GetProperty("to").GetString(), data.RootElement.GetProperty("reason").GetString()));
        }
        // The failed events are stored, not only published; the sender's own copies and delivered messages stay.
        Assert.Equal(2, (await Messages.ReadInboxAsync(new Username("alice"), 0, 20, default)).Count(e => e.Kind == InboxEntryKind.Failed));
        Assert.Equal([delivered.Message!.N, recent.Message!.N], (await Messages.ReadInboxAsync(new Username("bob"), 0, 20, default)).Select(e => e.N));
    }

    [Fact]
    public async Task A_group_left_is_listed_only_with_include_left_as_it_was_when_the_member_went()
    {
        await UsersAsync("alice", "bob");
        var groups = (IGroupStore)Messages;
        var conv = ConversationId.Parse("g:0000000000000002");
        Assert.Equal(Core.Groups.GroupStatus.Ok, (await groups.CreateGroupAsync(conv, new Username("alice"), "trip", ["bob"], 10, Now(), default)).Status);
        async Task SendToGroupAsync(string cid) => Assert.Equal(AppendStatus.Stored, (await (await Messages.EnqueueAppendAsync(
            new NewMessage(Guid.NewGuid().ToString("N"), conv.Value, "alice", null, cid, "text", Encoding.UTF8.GetBytes("\"hi\""), Now(), null),
            default)).WaitAsync(Timeout)).Status);
        await SendToGroupAsync("c1");
        await groups.LeaveAsync(conv, new Username("bob"), Now(), default);
        await SendToGroupAsync("c2");

        Assert.Empty(await Messages.GetConversationsAsync(new Username("bob"), includeLeft: false, default));
        var left = Assert.Single(await Messages.GetConversationsAsync(new Username("bob"), includeLeft: true, default));
        Assert.Equal((conv.Value, true, "trip", 1L, 1L, 0L), (left.Conv, left.Left, left.Name, left.LastN, left.ReadUpTo, left.Unread));
        Assert.False(Assert.Single(await Messages.GetConversationsAsync(new Username("alice"), includeLeft: true, default)).Left);
    }

    [Fact]
    public async Task A_group_description_is_set_by_an_admin_only_kept_read_with_the_group_and_the_list_and_noted()
    {
        await UsersAsync("alice", "bob");
        var groups = (IGroupStore)Messages;
        var (alice, bob) = (new Username("alice"), new Username("bob"));
        var conv = ConversationId.Parse("g:0000000000000003");
        const string text = "Saturday hikes\nmeet at 8 🚉";
        Assert.Equal(Core.Groups.GroupStatus.Ok, (await groups.CreateGroupAsync(conv, alice, "hikers", ["bob"], 10, Now(), default)).Status);
        await SendAsync("alice", "bob", "c1");
        var fresh = (await groups.GetGroupAsync(conv, bob, default)).Group!;

        var refused = await groups.DescribeAsync(conv, bob, "mine now", Now(), default);
        var unknown = await groups.DescribeAsync(ConversationId.Parse("g:0000000000000009"), alice, "nobody's", Now(), default);
        var described = await groups.DescribeAsync(conv, alice, text, Now(), default);

        Assert.Equal("", fresh.Description);
        Assert.Equal((Core.Groups.GroupStatus.Forbidden, 0), (refused.Status, refused.Writes.Count));
        Assert.Equal(Core.Groups.GroupStatus.GroupNotFound, unknown.Status);
        Assert.Equal((Core.Groups.GroupStatus.Ok, text), (described.Status, described.Group!.Description));
        Assert.Equal(["alice", "bob"], described.Writes.Select(w => w.User).Order(StringComparer.Ordinal));
        Assert.All(described.Writes, w =>
        {
            Assert.Equal((InboxEntryKind.Group, "alice"), (w.Entry.Kind, w.Entry.Actor));
            using var data = System.Text.Json.JsonDocument.Parse(w.Entry.Data!);
            Assert.Equal(("described", text), (data.RootElement.GetProperty("event").GetString(), data.RootElement.GetProperty("description").GetString()));
        });
        var note = (await Messages.GetNotesAsync(conv, bob, 0, 0, long.MaxValue, 200, default))[^1];
        Assert.Equal((InboxEntryKind.Group, "alice"), (note.Kind, note.By));
        Assert.Contains("\"described\"", note.Fields, StringComparison.Ordinal);

        // Kept across a restart, in the group and in the list (a direct conversation has none).
        await ReopenAsync();
        groups = (IGroupStore)Messages;
        Assert.Equal(text, (await groups.GetGroupAsync(conv, bob, default)).Group!.Description);
        var list = await Messages.GetConversationsAsync(bob, includeLeft: false, default);
        Assert.Equal(text, Assert.Single(list, c => c.Conv == conv.Value).Description);
        Assert.Null(Assert.Single(list, c => c.Conv == "d:alice:bob").Description);

        // Cleared with "", and a group left is listed with it as it is.
        Assert.Equal("", (await groups.DescribeAsync(conv, alice, "", Now(), default)).Group!.Description);
        await groups.DescribeAsync(conv, alice, "after bob", Now(), default);
        await groups.LeaveAsync(conv, bob, Now(), default);
        var left = Assert.Single(await Messages.GetConversationsAsync(bob, includeLeft: true, default), c => c.Conv == conv.Value);
        Assert.Equal((true, "after bob"), (left.Left, left.Description));
    }

    [Fact]
    public async Task A_deleted_account_leaves_its_groups_fails_what_was_pending_and_keeps_its_name()
    {
        await UsersAsync("alice", "bob", "carol");
        var groups = (IGroupStore)Messages;
        await Users.CreateDeviceAsync(new NewDevice("bobphone", "bob", "phone", [5], Now(), long.MaxValue), default);
        Assert.Equal(Core.Groups.GroupStatus.Ok, (await groups.CreateGroupAsync(ConversationId.Parse("g:0000000000000001"), new Username("bob"), "team", ["alice", "carol"], 10, Now(), default)).Status);
        var pending = await SendAsync("alice", "bob", "c1");

        var deletion = await Users.DeleteAccountAsync(new Username("bob"), Now(), default);
        Assert.NotNull(deletion);
        Assert.Equal(["bobphone"], deletion.Devices);
        Assert.Equal(["g:0000000000000001"], deletion.GroupsLeft);
        Assert.DoesNotContain(deletion.Writes, w => w.User == "bob");
        var failed = Assert.Single(deletion.Writes, w => w.Entry.Kind == InboxEntryKind.Failed);
        Assert.Equal(("alice", pending.Message!.N), (failed.User, failed.Entry.N));
        Assert.Contains("\"gone\"", failed.Entry.Data, StringComparison.Ordinal);
        Assert.Equal(2, deletion.Writes.Count(w => w.Entry.Kind == InboxEntryKind.Group && w.Entry.Data!.Contains("\"left\"", StringComparison.Ordinal)));
        var info = (await groups.GetGroupAsync(ConversationId.Parse("g:0000000000000001"), new Username("alice"), default)).Group!;
        Assert.Equal(["alice", "carol"], info.Members);
        Assert.Equal(["alice"], info.Admins);

        Assert.Null(await Users.FindDeviceAsync([5], Now(), default));
        Assert.Null(await Users.GetCredentialsAsync(new Username("bob"), default));
        Assert.False(await Users.CreateUserAsync(new NewUser("bob", "bob", "hash", Now()), default));
        var carolHead = await Messages.GetInboxHeadAsync(new Username("carol"), default);
        Assert.Equal(AppendStatus.ParticipantNotFound, (await SendAsync("carol", "bob", "c2")).Status);
        Assert.Equal(carolHead, await Messages.GetInboxHeadAsync(new Username("carol"), default));
        Assert.Null(await Users.DeleteAccountAsync(new Username("bob"), Now(), default));
    }

    [Fact]
    public async Task Counters_kept_in_the_users_row_by_the_older_schema_survive_the_migration()
    {
        await UsersAsync("alice", "bob", "carol");
        await Users.CreateDeviceAsync(new NewDevice("phone", "bob", "phone", [1], Now(), long.MaxValue), default);
        await Users.CreateDeviceAsync(new NewDevice("alicephone", "alice", "phone", [2], Now(), long.MaxValue), default);
        await SendAsync("alice", "bob", "c1");
        await SendAsync("alice", "bob", "c2");
        await SendAsync("bob", "alice", "c3");
        await Messages.AckAsync(new Username("bob"), "phone", 2, default);
        await Messages.AckAsync(new Username("alice"), "alicephone", 4, default);
        Assert.NotNull(await Users.DeleteAccountAsync(new Username("carol"), Now(), default));

        await CloseAsync();
        await RevertToCountersInUsersAsync();
        (Users, Messages) = await OpenAsync();

        // Alice's inbox: her 1 and 2, bob's 3, bob's receipt, all acked; bob's: alice's 1 and 2, his 3, alice's receipt,
        // delivered up to 2.
        Assert.Equal((4L, 4L, 0L), (await Messages.GetInboxHeadAsync(new Username("alice"), default), await Messages.GetInboxHeadAsync(new Username("bob"), default),
            await Messages.GetInboxHeadAsync(new Username("carol"), default)));
        // Bob's watermark came along: nothing of his is pending (a lost watermark would make alice's 1 and 2 fail).
        Assert.Equal(0, (await Messages.FailUndeliveredAsync(long.MaxValue, Now(), 10, default)).Dropped);
        var next = await SendAsync("alice", "bob", "c4");
        Assert.Equal(5L, next.Message!.SenderSeq);
        Assert.Contains(next.Writes, w => w.User == "bob" && w.Entry.Seq == 5);
        Assert.Equal(AppendStatus.ParticipantNotFound, (await SendAsync("alice", "carol", "c5")).Status);
    }
}
