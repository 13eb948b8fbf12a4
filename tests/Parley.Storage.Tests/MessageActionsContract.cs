using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Tests;

/// <summary>What every store must do for the v1.1 message actions: replies and reactions.</summary>
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
}
