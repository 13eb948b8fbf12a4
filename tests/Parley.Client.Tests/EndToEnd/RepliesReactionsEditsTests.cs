using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// Protocol v1.1 replies, reactions and edits through the SDK against the real server.
public sealed class RepliesReactionsEditsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri BaseUri => fixture.BaseUri;

    [Fact]
    public async Task A_reply_carries_its_target_in_the_send_result_the_message_event_and_history_and_the_target_can_be_found()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);
        var question = await alice.Client!.SendTextAsync(bob.Name, "dinner at 8?").Within();
        await alice.Client.SendTextAsync(bob.Name, "or 9").Within();

        var reply = await bob.Client!.ReplyTextAsync(alice.Name, question.N, "8 is fine").Within();
        await alice.Messages.WaitForAsync(m => m.Id == reply.Id);

        Assert.Equal(question.N, reply.ReplyTo);
        Assert.Equal(question.N, alice.Messages.Snapshot().Single(m => m.Id == reply.Id).ReplyTo);
        var history = await alice.Client.HistoryAsync(conv).Within();
        Assert.Equal(question.N, history.Single(m => m.Id == reply.Id).ReplyTo);
        Assert.Null(history.Single(m => m.Id == question.Id).ReplyTo);
        var quoted = await alice.Client.FindMessageAsync(conv, reply.ReplyTo!.Value).Within();
        Assert.Equal(("dinner at 8?", alice.Name), (quoted?.Text, quoted?.From));
        Assert.Null(await alice.Client.FindMessageAsync(conv, 99).Within());
    }

    [Fact]
    public async Task A_reply_to_a_message_that_does_not_exist_is_not_found_and_nothing_is_stored()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);
        await alice.Client!.SendTextAsync(bob.Name, "one").Within();

        var error = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.ReplyTextAsync(bob.Name, 5, "to nothing").Within());

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Equal([1L], (await alice.Client.HistoryAsync(conv).Within()).Select(m => m.N));
    }

    [Fact]
    public async Task Reactions_reach_every_member_and_the_reactors_other_device_and_history_lists_them_in_the_order_first_made()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await using var carol = await ChatUser.RegisterAsync(BaseUri, "carol");
        foreach (var user in new[] { alice, bob, carol }) await user.ConnectAsync(() => BaseUri);
        await using var bobPhone = bob.AnotherClient();
        await bobPhone.ConnectAsync(() => BaseUri);
        var group = await alice.Client!.CreateGroupAsync("party", [bob.Name, carol.Name]).Within();
        var sent = await alice.Client.SendTextAsync(group.Conv, "we won").Within();

        await bob.Client!.ReactAsync(group.Conv, sent.N, "🎉").Within();
        await carol.Client!.ReactAsync(group.Conv, sent.N, "❤️").Within();
        await bob.Client.ReactAsync(group.Conv, sent.N, "😂").Within();
        await carol.Client.ReactAsync(group.Conv, sent.N, null).Within();
        await alice.Reactions.WaitAsync(all => all.Count(r => r.Conv == group.Conv) >= 4);
        await bobPhone.Reactions.WaitAsync(all => all.Count(r => r.Conv == group.Conv) >= 4);

        Assert.Equal(
            [(bob.Name, "🎉"), (carol.Name, "❤️"), (bob.Name, "😂"), (carol.Name, null)],
            alice.Reactions.Snapshot().Select(r => (r.By, r.Emoji)));
        Assert.All(alice.Reactions.Snapshot(), r => Assert.Equal(sent.N, r.N));
        Assert.Equal(alice.Reactions.Snapshot().Select(r => (r.By, r.Emoji)), bobPhone.Reactions.Snapshot().Select(r => (r.By, r.Emoji)));
        var message = (await carol.Client.HistoryAsync(group.Conv).Within()).Single(m => m.N == sent.N);
        Assert.Equal([new MessageReaction(bob.Name, "😂")], message.Reactions);
        await carol.Client.ReactAsync(group.Conv, sent.N, "👍").Within();
        var again = (await alice.Client.HistoryAsync(group.Conv).Within()).Single(m => m.N == sent.N);
        Assert.Equal([new MessageReaction(bob.Name, "😂"), new MessageReaction(carol.Name, "👍")], again.Reactions);
    }

    [Fact]
    public async Task Reacting_with_an_empty_or_too_long_emoji_is_bad_request_and_to_a_message_one_cannot_see_not_found()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);
        await alice.Client!.SendTextAsync(bob.Name, "hi").Within();

        var empty = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.ReactAsync(conv, 1, "").Within());
        var tooLong = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.ReactAsync(conv, 1, new string('x', 33)).Within());
        var missing = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.ReactAsync(conv, 2, "👍").Within());

        Assert.Equal((ErrorCodes.BadRequest, ErrorCodes.BadRequest, ErrorCodes.NotFound), (empty.Code, tooLong.Code, missing.Code));
        await alice.Client.ReactAsync(conv, 1, new string('x', 32)).Within();
        Assert.Equal(new string('x', 32), Assert.Single((await alice.Client.HistoryAsync(conv).Within()).Single().Reactions).Emoji);
    }

    [Fact]
    public async Task An_edit_reaches_both_sides_and_history_has_the_latest_body_and_edited_at_with_the_same_n_and_id()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);
        var sent = await alice.Client!.SendTextAsync(bob.Name, "see you at 7").Within();
        await bob.Messages.WaitForAsync(m => m.Id == sent.Id);

        var editedAt = await alice.Client.EditAsync(conv, sent.N, """{"text":"see you at 8",  "v":1.0}""").Within();
        await bob.Edits.WaitForAsync(e => e.N == sent.N);
        await alice.Edits.WaitForAsync(e => e.N == sent.N);

        var edited = bob.Edits.Snapshot().Single();
        Assert.Equal((conv, """{"text":"see you at 8",  "v":1.0}""", "see you at 8", editedAt), (edited.Conv, edited.Body, edited.Text, edited.EditedAt));
        var message = (await bob.Client!.HistoryAsync(conv).Within()).Single();
        Assert.Equal((sent.Id, sent.N, sent.Ts, "see you at 8", (long?)editedAt), (message.Id, message.N, message.Ts, message.Text, message.EditedAt));
        Assert.InRange(editedAt, sent.Ts, sent.Ts + 60_000);
    }

    [Fact]
    public async Task Editing_someone_elses_message_is_forbidden_and_a_missing_one_not_found_and_nothing_changes()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);
        var sent = await alice.Client!.SendTextAsync(bob.Name, "mine").Within();

        var notSender = await Assert.ThrowsAsync<ParleyException>(() => bob.Client!.EditTextAsync(conv, sent.N, "yours now").Within());
        var missing = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.EditTextAsync(conv, 42, "nothing").Within());
        var tooLarge = await Assert.ThrowsAsync<ParleyException>(
            () => alice.Client.EditTextAsync(conv, sent.N, new string('x', alice.Client.Welcome!.Limits.MaxBodyBytes + 1)).Within());

        Assert.Equal((ErrorCodes.Forbidden, ErrorCodes.NotFound, ErrorCodes.TooLarge), (notSender.Code, missing.Code, tooLarge.Code));
        var message = (await alice.Client.HistoryAsync(conv).Within()).Single();
        Assert.Equal(("mine", (long?)null), (message.Text, message.EditedAt));
    }
}
