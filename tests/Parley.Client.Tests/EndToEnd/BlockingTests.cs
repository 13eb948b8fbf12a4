using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// Protocol v1.1 blocking through the SDK against the real server.
public sealed class BlockingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri BaseUri => fixture.BaseUri;

    [Fact]
    public async Task A_blocked_users_messages_are_accepted_but_never_reach_the_blocker_not_even_after_the_unblock()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);

        await alice.Client!.BlockAsync(bob.Name).Within();
        await alice.Client.BlockAsync(bob.Name).Within();
        var blocked = await alice.Client.GetBlockedAsync().Within();
        var hidden = await bob.Client!.SendTextAsync(alice.Name, "you cannot see this").Within();
        await bob.Messages.WaitForAsync(m => m.Id == hidden.Id);
        // alice's own message comes after bob's in her inbox: had bob's reached her, it would be logged before it.
        var own = await alice.Client.SendTextAsync(bob.Name, "blocking is one-way").Within();
        await alice.Messages.WaitForAsync(m => m.Id == own.Id);
        await bob.Messages.WaitForAsync(m => m.Id == own.Id);
        var historyWhileBlocked = await alice.Client.HistoryAsync(conv).Within();
        await alice.Client.UnblockAsync(bob.Name).Within();
        var afterUnblock = await alice.Client.GetBlockedAsync().Within();
        var seen = await bob.Client.SendTextAsync(alice.Name, "now you can").Within();
        await alice.Messages.WaitForAsync(m => m.Id == seen.Id);

        Assert.Equal([bob.Name], blocked);
        Assert.Empty(afterUnblock);
        Assert.DoesNotContain(alice.Messages.Snapshot(), m => m.Id == hidden.Id);
        Assert.DoesNotContain(historyWhileBlocked, m => m.Id == hidden.Id);
        Assert.Contains(historyWhileBlocked, m => m.Id == own.Id);
        Assert.DoesNotContain(await alice.Client.HistoryAsync(conv).Within(), m => m.Id == hidden.Id);
    }

    [Fact]
    public async Task Blocking_oneself_is_bad_request_and_an_unknown_user_not_found()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await alice.ConnectAsync(() => BaseUri);

        var self = await Assert.ThrowsAsync<ParleyException>(() => alice.Client!.BlockAsync(alice.Name).Within());
        var unknown = await Assert.ThrowsAsync<ParleyException>(() => alice.Client!.BlockAsync(ChatUser.NewName("ghost")).Within());

        Assert.Equal((ErrorCodes.BadRequest, ErrorCodes.NotFound), (self.Code, unknown.Code));
        Assert.Empty(await alice.Client!.GetBlockedAsync().Within());
    }
}
