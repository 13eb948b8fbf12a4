using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Tests;

/// <summary>What every store must do for the v1.1 message actions (replies, reactions, edits), blocking and invite links.</summary>
public abstract class MessageActionsContract : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ConversationId AliceBob = ConversationId.Parse("d:alice:bob");
    private long _clock = 1_800_000_000_000;

    protected abstract Task<(IUserStore Users, IMessageStore Messages, IGroupStore Groups, IReactionStore Reactions)> OpenAsync();

    protected abstract Task CloseAsync();

    private IUserStore Users { get; set; } = null!;
    private IMessageStore Messages { get; set; } = null!;
    private IGroupStore Groups { get; set; } = null!;
    private IReactionStore Reactions { get; set; } = null!;

    /// <summary>The same store's blocks (v1.1; every relational store has them).</summary>
    private IBlockStore Blocks => (IBlockStore)Reactions;

    /// <summary>The same store's invite links (v1.1).</summary>
    private IGroupInviteStore Invites => (IGroupInviteStore)Reactions;

    /// <summary>The same store's edits (every relational store does both).</summary>
    private IMessageEditStore Edits => (IMessageEditStore)Reactions;

    public async Task InitializeAsync() => (Users, Messages, Groups, Reactions) = await OpenAsync();

    public async Task DisposeAsync() => await CloseAsync();

    private long Now() => Interlocked.Increment(ref _clock);

    private async Task UsersAsync(params string[] names)
    {
        foreach (var name in names) Assert.True(await Users.CreateUserAsync(new NewUser(name, name, "hash", Now()), default));
    }

    private NewMessage Direct(string from, string cid, long? replyTo = null, long? ttl = null) =>
        new(Guid.NewGuid().ToString("N"), AliceBob.Value, from, ["alice", "bob"], cid, "text", Encoding.UTF8.GetBytes("\"hi\""), Now(), ttl, null, replyTo);

    private async Task<AppendResult> SendAsync(NewMessage message) => await (await Messages.EnqueueAppendAsync(message, default)).WaitAsync(Timeout);

    private Task<IReadOnlyList<StoredMessage>> HistoryAsync(string viewer) =>
        Messages.GetHistoryAsync(AliceBob, new Username(viewer), 0, null, 50, default);

    private Task<ChangeResult> ReactAsync(string user, long n, string? emoji, ConversationId? conv = null) =>
        Reactions.ReactAsync(conv ?? AliceBob, new Username(user), n, emoji, Now(), default).WaitAsync(Timeout);

    [Fact]
    public async Task A_reply_is_stored_with_its_target_and_a_duplicate_returns_it()
    {
        await UsersAsync("alice", "bob");
        await SendAsync(Direct("alice", "c1"));

        var reply = await SendAsync(Direct("bob", "c2", replyTo: 1));
        var again = await SendAsync(Direct("bob", "c2", replyTo: 1));

        Assert.Equal((AppendStatus.Stored, 1L), (reply.Status, reply.Message!.ReplyTo));
        Assert.Equal(1L, reply.Writes.Single(w => w.User == "alice").Entry.Message!.ReplyTo);
        Assert.Equal((AppendStatus.Duplicate, 1L), (again.Status, again.Message!.ReplyTo));
        Assert.Equal([null, 1L], (await HistoryAsync("alice")).Select(m => m.ReplyTo));
        Assert.Equal(1L, (await Messages.ReadInboxAsync(new Username("alice"), 1, 10, default)).Single().Message!.ReplyTo);
    }

    [Fact]
    public async Task A_reply_to_a_missing_deleted_or_expired_message_stores_nothing()
    {
        await UsersAsync("alice", "bob");
        await SendAsync(Direct("alice", "c1"));
        await SendAsync(Direct("alice", "c2"));
        Assert.Equal(ChangeStatus.Ok, (await Messages.DeleteMessageAsync(AliceBob, new Username("alice"), 2, Now(), default).WaitAsync(Timeout)).Status);
        var brief = await SendAsync(Direct("alice", "c3", ttl: 1));
        _clock += 2_000;

        var missing = await SendAsync(Direct("bob", "r1", replyTo: 9));
        var deleted = await SendAsync(Direct("bob", "r2", replyTo: 2));
        var expired = await SendAsync(Direct("bob", "r3", replyTo: brief.Message!.N));

        Assert.All([missing, deleted, expired], r => Assert.Equal(AppendStatus.ReplyTargetNotFound, r.Status));
        Assert.All([missing, deleted, expired], r => Assert.Empty(r.Writes));
        Assert.Equal(4L, (await SendAsync(Direct("bob", "r4", replyTo: 1))).Message!.N);
    }

    [Fact]
    public async Task A_reply_to_a_message_queued_just_before_it_is_stored_even_in_the_same_batch()
    {
        await UsersAsync("alice", "bob");
        var first = await Messages.EnqueueAppendAsync(Direct("alice", "c1"), default);
        var reply = await Messages.EnqueueAppendAsync(Direct("bob", "c2", replyTo: 1), default);

        Assert.Equal(AppendStatus.Stored, (await first.WaitAsync(Timeout)).Status);
        var stored = await reply.WaitAsync(Timeout);
        Assert.Equal((AppendStatus.Stored, 2L, 1L), (stored.Status, stored.Message!.N, stored.Message.ReplyTo));
    }

    [Fact]
    public async Task A_group_member_cannot_reply_to_what_was_sent_before_they_joined()
    {
        await UsersAsync("alice", "bob", "carol");
        var conv = ConversationId.Parse("g:00000000000000aa");
        await Groups.CreateGroupAsync(conv, new Username("alice"), "g", ["bob"], 10, Now(), default).WaitAsync(Timeout);
        NewMessage ToGroup(string from, string cid, long? replyTo = null) =>
            new(Guid.NewGuid().ToString("N"), conv.Value, from, null, cid, "text", "\"x\""u8.ToArray(), Now(), null, null, replyTo);
        await SendAsync(ToGroup("alice", "g1"));
        await Groups.AddMembersAsync(conv, new Username("alice"), ["carol"], 10, Now(), default).WaitAsync(Timeout);
        await SendAsync(ToGroup("alice", "g2"));

        Assert.Equal(AppendStatus.ReplyTargetNotFound, (await SendAsync(ToGroup("carol", "c1", replyTo: 1))).Status);
        Assert.Equal(AppendStatus.Stored, (await SendAsync(ToGroup("carol", "c2", replyTo: 2))).Status);
        Assert.Equal(AppendStatus.Stored, (await SendAsync(ToGroup("bob", "b1", replyTo: 1))).Status);
    }

    [Fact]
    public async Task Group_changes_and_retention_are_kept_as_notes_in_place_and_shown_to_who_was_a_member_then()
    {
        await UsersAsync("alice", "bob", "carol");
        var conv = ConversationId.Parse("g:00000000000000ab");
        await Groups.CreateGroupAsync(conv, new Username("alice"), "g", ["bob"], 10, Now(), default).WaitAsync(Timeout);
        await SendAsync(new(Guid.NewGuid().ToString("N"), conv.Value, "alice", null, "n1", "text", "\"x\""u8.ToArray(), Now(), null, null, null));
        await Messages.SetRetentionAsync(conv, new Username("alice"), null, 60, Now(), default).WaitAsync(Timeout);
        await Groups.AddMembersAsync(conv, new Username("alice"), ["carol"], 10, Now(), default).WaitAsync(Timeout);

        var bobs = await Messages.GetNotesAsync(conv, new Username("bob"), 0, 0, long.MaxValue, 10, default);
        var carols = await Messages.GetNotesAsync(conv, new Username("carol"), 1, 0, long.MaxValue, 10, default);
        var firstOnly = await Messages.GetNotesAsync(conv, new Username("bob"), 0, 0, 1, 10, default);

        Assert.Equal([(0L, InboxEntryKind.Group), (1L, InboxEntryKind.Settings), (1L, InboxEntryKind.Group)], bobs.Select(n => (n.AfterN, n.Kind)));
        Assert.All(bobs, n => Assert.Equal("alice", n.By));
        Assert.Contains("\"created\"", bobs[0].Fields, StringComparison.Ordinal);
        Assert.Equal("{\"retention\":60}", bobs[1].Fields);
        // carol, added after message 1, does not see what came before it ("created").
        Assert.DoesNotContain(carols, n => n.AfterN == 0);
        Assert.Equal(bobs[^1], carols[^1]);
        Assert.Equal([0L], firstOnly.Select(n => n.AfterN));
    }

    [Fact]
    public async Task Reactions_are_set_replaced_and_taken_back_with_an_event_to_every_member_only_when_something_changes()
    {
        await UsersAsync("alice", "bob");
        await SendAsync(Direct("alice", "c1"));

        var set = await ReactAsync("bob", 1, "👍");
        var same = await ReactAsync("bob", 1, "👍");
        var replaced = await ReactAsync("bob", 1, "🎉");
        var back = await ReactAsync("bob", 1, null);
        var backAgain = await ReactAsync("bob", 1, null);

        Assert.All([set, same, replaced, back, backAgain], r => Assert.Equal(ChangeStatus.Ok, r.Status));
        Assert.Equal(["alice", "bob"], set.Writes.Select(w => w.User).Order());
        Assert.All(set.Writes, w => Assert.Equal((InboxEntryKind.Reaction, 1L, "bob", "👍"), (w.Entry.Kind, w.Entry.N, w.Entry.Actor, w.Entry.Data)));
        Assert.Empty(same.Writes);
        Assert.Equal("🎉", replaced.Writes[0].Entry.Data);
        Assert.Null(back.Writes[0].Entry.Data);
        Assert.Empty(backAgain.Writes);
        Assert.Null((await HistoryAsync("alice")).Single().Reactions);
        var inbox = await Messages.ReadInboxAsync(new Username("alice"), 1, 10, default);
        Assert.Equal(["👍", "🎉", null], inbox.Select(e => e.Data));
    }

    [Fact]
    public async Task History_lists_reactions_in_the_order_they_were_first_made()
    {
        await UsersAsync("alice", "bob", "carol");
        await SendAsync(Direct("alice", "c1"));
        await SendAsync(Direct("alice", "c2"));

        await ReactAsync("bob", 1, "1");
        await ReactAsync("alice", 1, "2");
        await ReactAsync("bob", 1, "3");
        await ReactAsync("alice", 2, "4");

        var history = await HistoryAsync("bob");
        Assert.Equal([new Reaction("bob", "3"), new Reaction("alice", "2")], history[0].Reactions!);
        Assert.Equal([new Reaction("alice", "4")], history[1].Reactions!);
    }

    [Fact]
    public async Task Reacting_to_a_missing_deleted_or_unseen_message_is_not_found_and_writes_nothing()
    {
        await UsersAsync("alice", "bob", "carol");
        await SendAsync(Direct("alice", "c1"));
        await Messages.DeleteMessageAsync(AliceBob, new Username("alice"), 1, Now(), default).WaitAsync(Timeout);
        var group = ConversationId.Parse("g:00000000000000bb");
        await Groups.CreateGroupAsync(group, new Username("alice"), "g", ["bob"], 10, Now(), default).WaitAsync(Timeout);
        await SendAsync(new NewMessage(Guid.NewGuid().ToString("N"), group.Value, "alice", null, "g1", "text", "\"x\""u8.ToArray(), Now(), null));

        Assert.Equal(ChangeStatus.NotFound, (await ReactAsync("bob", 1, "👍")).Status);
        Assert.Equal(ChangeStatus.NotFound, (await ReactAsync("bob", 5, "👍")).Status);
        Assert.Equal(ChangeStatus.NotFound, (await ReactAsync("carol", 1, "👍", group)).Status);
        Assert.Equal(ChangeStatus.Ok, (await ReactAsync("bob", 1, "👍", group)).Status);
    }

    [Fact]
    public async Task The_sender_edits_within_the_window_and_every_member_gets_the_body_byte_for_byte()
    {
        await UsersAsync("alice", "bob");
        var sent = await SendAsync(Direct("alice", "c1"));
        var body = Encoding.UTF8.GetBytes("{ \"t\" : \"\\u00e9\" }");
        var at = sent.Message!.Ts + 1_000;

        var edited = await Edits.EditAsync(AliceBob, new Username("alice"), 1, body, at, TimeSpan.FromMinutes(15), default).WaitAsync(Timeout);

        Assert.Equal(ChangeStatus.Ok, edited.Status);
        Assert.Equal(["alice", "bob"], edited.Writes.Select(w => w.User).Order());
        Assert.All(edited.Writes, w => Assert.Equal((InboxEntryKind.Edited, 1L), (w.Entry.Kind, w.Entry.N)));
        var (editedAt, eventBody) = EditedData.Parse(edited.Writes[0].Entry.Data!);
        Assert.Equal(at, editedAt);
        Assert.Equal(body, eventBody);
        var message = (await HistoryAsync("bob")).Single();
        Assert.Equal(body, message.Body);
        Assert.Equal((at, sent.Message.Id, sent.Message.Ts), (message.EditedAt, message.Id, message.Ts));
        var replayed = (await Messages.ReadInboxAsync(new Username("bob"), 1, 10, default)).Single();
        Assert.Equal(body, EditedData.Parse(replayed.Data!).Body);
    }

    [Fact]
    public async Task Deleting_or_sweeping_a_message_removes_its_message_and_edit_entries_from_every_inbox_and_nothing_else()
    {
        await UsersAsync("alice", "bob", "carol");
        var first = await SendAsync(Direct("alice", "c1"));
        await SendAsync(Direct("bob", "c2"));
        var third = await SendAsync(Direct("alice", "c3", ttl: 1));
        await SendAsync(Direct("alice", "c4", ttl: 1));
        Task<ChangeResult> EditAsync(ConversationId conv, long n, long at) =>
            Edits.EditAsync(conv, new Username("alice"), n, "\"edited\""u8.ToArray(), at, TimeSpan.FromMinutes(15), default).WaitAsync(Timeout);
        Assert.Equal(ChangeStatus.Ok, (await EditAsync(AliceBob, 1, first.Message!.Ts + 1)).Status);
        Assert.Equal(ChangeStatus.Ok, (await EditAsync(AliceBob, 3, third.Message!.Ts + 1)).Status);
        var group = ConversationId.Parse("g:00000000000000bb");
        await Groups.CreateGroupAsync(group, new Username("alice"), "g", ["bob", "carol"], 10, Now(), default).WaitAsync(Timeout);
        NewMessage ToGroup(string cid) => new(Guid.NewGuid().ToString("N"), group.Value, "alice", null, cid, "text", "\"x\""u8.ToArray(), Now(), null, null, null);
        var grouped = await SendAsync(ToGroup("g1"));
        await SendAsync(ToGroup("g2"));
        Assert.Equal(ChangeStatus.Ok, (await EditAsync(group, 1, grouped.Message!.Ts + 1)).Status);
        // Bob blocks alice: her next message is hidden from him, and he gets no entry of it.
        Assert.True(await Blocks.BlockAsync(new Username("bob"), new Username("alice"), Now(), default).WaitAsync(Timeout));
        await SendAsync(Direct("alice", "c5"));

        Assert.Equal(ChangeStatus.Ok, (await Messages.DeleteMessageAsync(AliceBob, new Username("alice"), 1, Now(), default).WaitAsync(Timeout)).Status);
        Assert.Equal(ChangeStatus.Ok, (await Messages.DeleteMessageAsync(AliceBob, new Username("alice"), 5, Now(), default).WaitAsync(Timeout)).Status);
        Assert.Equal(ChangeStatus.Ok, (await Messages.DeleteMessageAsync(group, new Username("alice"), 1, Now(), default).WaitAsync(Timeout)).Status);
        Assert.Equal(2, await Messages.SweepExpiredAsync(third.Message.Ts + 10_000, 100, default));

        // What each inbox still has of the two conversations' messages and edits: only bob's c2 and the group's g2.
        async Task<List<(string Conv, long N, InboxEntryKind Kind)>> MessageEntriesAsync(string user) =>
            (await Messages.ReadInboxAsync(new Username(user), 0, 100, default))
                .Where(e => e.Kind is InboxEntryKind.Message or InboxEntryKind.Edited).Select(e => (e.Conv, e.N, e.Kind)).ToList();
        (string, long, InboxEntryKind)[] kept = [(AliceBob.Value, 2, InboxEntryKind.Message), (group.Value, 2, InboxEntryKind.Message)];
        Assert.Equal(kept, await MessageEntriesAsync("alice"));
        Assert.Equal(kept, await MessageEntriesAsync("bob"));
        Assert.Equal([(group.Value, 2L, InboxEntryKind.Message)], await MessageEntriesAsync("carol"));
    }

    [Fact]
    public async Task An_edit_by_another_user_or_after_the_window_is_forbidden_and_of_a_deleted_message_not_found()
    {
        await UsersAsync("alice", "bob");
        var sent = await SendAsync(Direct("alice", "c1"));
        await SendAsync(Direct("alice", "c2"));
        await Messages.DeleteMessageAsync(AliceBob, new Username("alice"), 2, Now(), default).WaitAsync(Timeout);
        var window = TimeSpan.FromSeconds(10);
        Task<ChangeResult> EditAsync(string editor, long n, long at) =>
            Edits.EditAsync(AliceBob, new Username(editor), n, "\"x\""u8.ToArray(), at, window, default).WaitAsync(Timeout);

        Assert.Equal(ChangeStatus.Forbidden, (await EditAsync("bob", 1, sent.Message!.Ts + 1)).Status);
        Assert.Equal(ChangeStatus.Forbidden, (await EditAsync("alice", 1, sent.Message.Ts + 10_001)).Status);
        Assert.Equal(ChangeStatus.NotFound, (await EditAsync("alice", 2, sent.Message.Ts + 1)).Status);
        Assert.Equal(ChangeStatus.NotFound, (await EditAsync("alice", 3, sent.Message.Ts + 1)).Status);
        Assert.Equal("\"hi\"", Encoding.UTF8.GetString((await HistoryAsync("alice")).Single().Body));
    }

    // Blocking (v1.1).

    private static Username U(string name) => new(name);

    [Fact]
    public async Task Blocks_are_idempotent_listed_in_order_and_only_of_live_users()
    {
        await UsersAsync("alice", "bob", "carol");

        Assert.True(await Blocks.BlockAsync(U("alice"), U("carol"), Now(), default).WaitAsync(Timeout));
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));
        Assert.False(await Blocks.BlockAsync(U("alice"), U("nobody"), Now(), default).WaitAsync(Timeout));

        Assert.Equal(["bob", "carol"], await Blocks.GetBlockedAsync(U("alice"), default));
        Assert.True(await Blocks.IsBlockedAsync(U("alice"), U("bob"), default));
        Assert.False(await Blocks.IsBlockedAsync(U("bob"), U("alice"), default));
        Assert.True(await Blocks.UnblockAsync(U("alice"), U("bob"), default).WaitAsync(Timeout));
        Assert.True(await Blocks.UnblockAsync(U("alice"), U("bob"), default).WaitAsync(Timeout));
        Assert.False(await Blocks.UnblockAsync(U("alice"), U("nobody"), default).WaitAsync(Timeout));
        Assert.Equal(["carol"], await Blocks.GetBlockedAsync(U("alice"), default));
    }

    [Fact]
    public async Task A_message_to_a_blocker_is_stored_for_the_sender_only_and_stays_hidden_after_unblocking()
    {
        await UsersAsync("alice", "bob");
        await SendAsync(Direct("bob", "c1"));
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));

        var hidden = await SendAsync(Direct("bob", "c2"));
        var duplicate = await SendAsync(Direct("bob", "c2"));
        var fromAlice = await SendAsync(Direct("alice", "c3"));

        Assert.Equal((AppendStatus.Stored, 2L), (hidden.Status, hidden.Message!.N));
        Assert.Equal(["bob"], hidden.Writes.Select(w => w.User));
        Assert.Equal((AppendStatus.Duplicate, 2L), (duplicate.Status, duplicate.Message!.N));
        Assert.Equal(["alice", "bob"], fromAlice.Writes.Select(w => w.User).Order());
        Assert.Equal([1L, 2L, 3L], (await HistoryAsync("bob")).Select(m => m.N));
        Assert.Equal([1L, 3L], (await HistoryAsync("alice")).Select(m => m.N));
        var summary = (await Messages.GetConversationsAsync(U("alice"), false, default)).Single();
        Assert.Equal(1L, summary.Unread);
        // Alice cannot reply or react to what she does not see.
        Assert.Equal(ChangeStatus.NotFound, (await ReactAsync("alice", 2, "👍")).Status);

        Assert.True(await Blocks.UnblockAsync(U("alice"), U("bob"), default).WaitAsync(Timeout));
        var after = await SendAsync(Direct("bob", "c4"));
        Assert.Equal(["alice", "bob"], after.Writes.Select(w => w.User).Order());
        Assert.Equal([1L, 3L, 4L], (await HistoryAsync("alice")).Select(m => m.N));
    }

    [Fact]
    public async Task A_block_before_any_message_lists_nothing_and_the_first_message_starts_the_conversation_as_usual()
    {
        // A block takes the direct conversation's row lock, creating the row (no members, no message) when it has none.
        await UsersAsync("alice", "bob");
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));
        Assert.Empty(await Messages.GetConversationsAsync(U("alice"), false, default));
        Assert.Empty(await Messages.GetConversationsAsync(U("bob"), false, default));

        var hidden = await SendAsync(Direct("bob", "c1"));
        var fromAlice = await SendAsync(Direct("alice", "c2"));

        Assert.Equal((AppendStatus.Stored, 1L), (hidden.Status, hidden.Message!.N));
        Assert.Equal(["bob"], hidden.Writes.Select(w => w.User));
        Assert.Equal(["alice", "bob"], fromAlice.Writes.Select(w => w.User).Order());
        var forBob = Assert.Single(await Messages.GetConversationsAsync(U("bob"), false, default));
        Assert.Equal((AliceBob.Value, 2L, 1L), (forBob.Conv, forBob.LastN, forBob.Unread));
        Assert.Equal(["alice", "bob"], forBob.Members.Order());
        var forAlice = Assert.Single(await Messages.GetConversationsAsync(U("alice"), false, default));
        Assert.Equal((AliceBob.Value, 2L, 0L), (forAlice.Conv, forAlice.LastN, forAlice.Unread));
        Assert.Equal([1L, 2L], (await HistoryAsync("bob")).Select(m => m.N));
        Assert.Equal([2L], (await HistoryAsync("alice")).Select(m => m.N));

        // Unblocking (the row is there) changes nothing of what was sent.
        Assert.True(await Blocks.UnblockAsync(U("alice"), U("bob"), default).WaitAsync(Timeout));
        Assert.Equal([2L], (await HistoryAsync("alice")).Select(m => m.N));
    }

    [Fact]
    public async Task On_one_node_a_block_is_ordered_between_the_sends_queued_before_and_after_it()
    {
        // One writer runs a batch's read and its commit with nothing in between: a send queued before the block is read
        // without it, one queued after sees it, even when all three are queued at once.
        await UsersAsync("alice", "bob");
        var before = await Messages.EnqueueAppendAsync(Direct("bob", "c1"), default);
        var block = Blocks.BlockAsync(U("alice"), U("bob"), Now(), default);
        var after = await Messages.EnqueueAppendAsync(Direct("bob", "c2"), default);

        Assert.Equal(["alice", "bob"], (await before.WaitAsync(Timeout)).Writes.Select(w => w.User).Order());
        Assert.True(await block.WaitAsync(Timeout));
        Assert.Equal(["bob"], (await after.WaitAsync(Timeout)).Writes.Select(w => w.User));
    }

    [Fact]
    public async Task Reading_past_hidden_messages_owes_no_receipt_for_them()
    {
        await UsersAsync("alice", "bob");
        await SendAsync(Direct("bob", "c1"));
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));
        await SendAsync(Direct("bob", "c2"));
        await SendAsync(Direct("bob", "c3"));

        var read = await Messages.MarkReadAsync(U("alice"), AliceBob, 3, default).WaitAsync(Timeout);

        // Message 1 was seen, so receipts are owed: up to it, never over 2 and 3.
        Assert.NotEmpty(read.Writes);
        Assert.All(read.Writes, w => Assert.Equal(("bob", 1L), (w.User, w.Entry.N)));
        var again = await Messages.MarkReadAsync(U("alice"), AliceBob, 3, default).WaitAsync(Timeout);
        Assert.Empty(again.Writes);
    }

    [Fact]
    public async Task A_blocked_users_reaction_and_edit_are_told_to_him_only_and_his_reaction_is_hidden_from_the_blocker()
    {
        await UsersAsync("alice", "bob");
        await SendAsync(Direct("alice", "c1"));
        await SendAsync(Direct("bob", "c2"));
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));

        var reaction = await ReactAsync("bob", 1, "👎");
        var edit = await Edits.EditAsync(AliceBob, U("bob"), 2, Encoding.UTF8.GetBytes("\"edited\""), Now(), TimeSpan.FromMinutes(15), default).WaitAsync(Timeout);
        var hers = await ReactAsync("alice", 2, "🙂");

        Assert.Equal(["bob"], reaction.Writes.Select(w => w.User));
        Assert.Equal(["bob"], edit.Writes.Select(w => w.User));
        Assert.Equal(["alice", "bob"], hers.Writes.Select(w => w.User).Order());
        Assert.Null((await HistoryAsync("alice")).Single(m => m.N == 1).Reactions);
        Assert.Equal([new Reaction("bob", "👎")], (await HistoryAsync("bob")).Single(m => m.N == 1).Reactions!);
        // The blocker keeps the body she saw; the sender sees his edit.
        var hersOf2 = (await HistoryAsync("alice")).Single(m => m.N == 2);
        Assert.Equal(("\"hi\"", (long?)null), (Encoding.UTF8.GetString(hersOf2.Body), hersOf2.EditedAt));
        Assert.Equal("\"edited\"", Encoding.UTF8.GetString((await HistoryAsync("bob")).Single(m => m.N == 2).Body));
        var replayed = await Messages.ReadInboxAsync(U("alice"), 0, 50, default);
        Assert.Equal("\"hi\"", Encoding.UTF8.GetString(replayed.Single(e => e.Kind == InboxEntryKind.Message && e.N == 2).Message!.Body));

        // An edit once unblocked shows itself to her again.
        Assert.True(await Blocks.UnblockAsync(U("alice"), U("bob"), default).WaitAsync(Timeout));
        var later = await Edits.EditAsync(AliceBob, U("bob"), 2, Encoding.UTF8.GetBytes("\"again\""), Now(), TimeSpan.FromMinutes(15), default).WaitAsync(Timeout);
        Assert.Equal(["alice", "bob"], later.Writes.Select(w => w.User).Order());
        Assert.Equal("\"again\"", Encoding.UTF8.GetString((await HistoryAsync("alice")).Single(m => m.N == 2).Body));
    }

    [Fact]
    public async Task A_blocked_user_cannot_put_the_blocker_in_a_group()
    {
        await UsersAsync("alice", "bob", "carol");
        Assert.True(await Blocks.BlockAsync(U("alice"), U("bob"), Now(), default).WaitAsync(Timeout));
        var first = ConversationId.NewGroup();

        var create = await Groups.CreateGroupAsync(first, U("bob"), "g", ["alice", "carol"], 10, Now(), default).WaitAsync(Timeout);
        var second = ConversationId.NewGroup();
        var own = await Groups.CreateGroupAsync(second, U("bob"), "g", ["carol"], 10, Now(), default).WaitAsync(Timeout);
        var add = await Groups.AddMembersAsync(second, U("bob"), ["alice"], 10, Now(), default).WaitAsync(Timeout);
        var hers = await Groups.CreateGroupAsync(ConversationId.NewGroup(), U("alice"), "g", ["bob"], 10, Now(), default).WaitAsync(Timeout);

        Assert.Equal(Parley.Core.Groups.GroupStatus.Forbidden, create.Status);
        Assert.Empty(create.Writes);
        Assert.Equal(Parley.Core.Groups.GroupStatus.Forbidden, add.Status);
        Assert.Equal(["bob", "carol"], (await Groups.GetGroupAsync(second, U("bob"), default)).Group!.Members);
        Assert.Equal(Parley.Core.Groups.GroupStatus.Ok, own.Status);
        Assert.Equal(Parley.Core.Groups.GroupStatus.Ok, hers.Status);
    }

    // Invite links (v1.1).

    [Fact]
    public async Task An_admin_has_one_live_code_per_group_until_it_is_revoked()
    {
        await UsersAsync("alice", "bob");
        var conv = ConversationId.NewGroup();
        await Groups.CreateGroupAsync(conv, U("alice"), "g", ["bob"], 10, Now(), default).WaitAsync(Timeout);

        var made = await Invites.CreateInviteAsync(conv, U("alice"), "code-one-aaaaaaaaaaa", Now(), default).WaitAsync(Timeout);
        var again = await Invites.CreateInviteAsync(conv, U("alice"), "code-two-bbbbbbbbbbb", Now(), default).WaitAsync(Timeout);
        var notAdmin = await Invites.CreateInviteAsync(conv, U("bob"), "code-three-ccccccccc", Now(), default).WaitAsync(Timeout);
        var noGroup = await Invites.CreateInviteAsync(ConversationId.NewGroup(), U("alice"), "code-four-dddddddddd", Now(), default).WaitAsync(Timeout);

        Assert.Equal((Parley.Core.Groups.GroupStatus.Ok, "code-one-aaaaaaaaaaa"), made);
        Assert.Equal((Parley.Core.Groups.GroupStatus.Ok, "code-one-aaaaaaaaaaa"), again);
        Assert.Equal(Parley.Core.Groups.GroupStatus.Forbidden, notAdmin.Status);
        Assert.Equal(Parley.Core.Groups.GroupStatus.GroupNotFound, noGroup.Status);
        Assert.Equal(Parley.Core.Groups.GroupStatus.Forbidden, await Invites.RevokeInviteAsync(conv, U("bob"), default).WaitAsync(Timeout));
        Assert.Equal(Parley.Core.Groups.GroupStatus.Ok, await Invites.RevokeInviteAsync(conv, U("alice"), default).WaitAsync(Timeout));
        var fresh = await Invites.CreateInviteAsync(conv, U("alice"), "code-five-eeeeeeeeee", Now(), default).WaitAsync(Timeout);
        Assert.Equal("code-five-eeeeeeeeee", fresh.Code);
    }

    [Fact]
    public async Task A_join_by_code_adds_the_member_from_now_on_tells_everyone_and_respects_the_cap()
    {
        await UsersAsync("alice", "bob", "carol", "dave");
        var conv = ConversationId.NewGroup();
        await Groups.CreateGroupAsync(conv, U("alice"), "g", ["bob"], 10, Now(), default).WaitAsync(Timeout);
        await SendAsync(new NewMessage(Guid.NewGuid().ToString("N"), conv.Value, "alice", null, "g1", "text", Encoding.UTF8.GetBytes("\"x\""), Now(), null));
        await Invites.CreateInviteAsync(conv, U("alice"), "join-code-aaaaaaaaaa", Now(), default).WaitAsync(Timeout);

        var unknown = await Invites.JoinByInviteAsync("join-code-unknown000", U("carol"), 10, Now(), default).WaitAsync(Timeout);
        var joined = await Invites.JoinByInviteAsync("join-code-aaaaaaaaaa", U("carol"), 10, Now(), default).WaitAsync(Timeout);
        var again = await Invites.JoinByInviteAsync("join-code-aaaaaaaaaa", U("carol"), 10, Now(), default).WaitAsync(Timeout);
        var full = await Invites.JoinByInviteAsync("join-code-aaaaaaaaaa", U("dave"), 3, Now(), default).WaitAsync(Timeout);

        Assert.Equal(Parley.Core.Groups.GroupStatus.GroupNotFound, unknown.Status);
        Assert.Equal(Parley.Core.Groups.GroupStatus.Ok, joined.Status);
        Assert.Equal(["alice", "bob", "carol"], joined.Group!.Members);
        Assert.Equal(["alice", "bob", "carol"], joined.Writes.Select(w => w.User).Order());
        Assert.All(joined.Writes, w => Assert.Equal((InboxEntryKind.Group, "carol"), (w.Entry.Kind, w.Entry.Actor)));
        Assert.Contains("\"joined\"", joined.Writes[0].Entry.Data);
        Assert.Equal((Parley.Core.Groups.GroupStatus.Ok, 0), (again.Status, again.Writes.Count));
        Assert.Equal(Parley.Core.Groups.GroupStatus.GroupFull, full.Status);
        Assert.Empty(await Messages.GetHistoryAsync(conv, U("carol"), (await Messages.GetGroupMembershipAsync(conv, U("carol"), default)).JoinedN, null, 50, default));
        Assert.Equal(Parley.Core.Groups.GroupStatus.Ok, await Invites.RevokeInviteAsync(conv, U("alice"), default).WaitAsync(Timeout));
        var revoked = await Invites.JoinByInviteAsync("join-code-aaaaaaaaaa", U("dave"), 10, Now(), default).WaitAsync(Timeout);
        Assert.Equal(Parley.Core.Groups.GroupStatus.GroupNotFound, revoked.Status);
    }
}
