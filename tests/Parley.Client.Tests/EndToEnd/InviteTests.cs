using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// Protocol v1.1 group invite links through the SDK against the real server.
public sealed class InviteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri BaseUri => fixture.BaseUri;

    [Fact]
    public async Task An_invite_code_lets_a_user_join_every_member_sees_the_join_and_a_revoked_code_stops_working()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await using var carol = await ChatUser.RegisterAsync(BaseUri, "carol");
        await using var dave = await ChatUser.RegisterAsync(BaseUri, "dave");
        foreach (var user in new[] { alice, bob, carol, dave }) await user.ConnectAsync(() => BaseUri);
        var group = await alice.Client!.CreateGroupAsync("book club", [bob.Name]).Within();

        var code = await alice.Client.CreateInviteAsync(group.Conv).Within();
        var same = await alice.Client.CreateInviteAsync(group.Conv).Within();
        var notAdmin = await Assert.ThrowsAsync<ParleyException>(() => bob.Client!.CreateInviteAsync(group.Conv).Within());
        var joined = await carol.Client!.JoinAsync(code).Within();
        var again = await carol.Client.JoinAsync(code).Within();
        await bob.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Joined } g && g.Conv == group.Conv);
        await carol.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Joined } g && g.Conv == group.Conv);
        var afterJoin = await alice.Client.SendTextAsync(group.Conv, "welcome carol").Within();
        await carol.Messages.WaitForAsync(m => m.Id == afterJoin.Id);
        await alice.Client.RevokeInviteAsync(group.Conv).Within();
        var revoked = await Assert.ThrowsAsync<ParleyException>(() => dave.Client!.JoinAsync(code).Within());
        var fresh = await alice.Client.CreateInviteAsync(group.Conv).Within();

        Assert.Matches("^[A-Za-z0-9_-]{16,}$", code);
        Assert.Equal(code, same);
        Assert.Equal(ErrorCodes.Forbidden, notAdmin.Code);
        Assert.Equal(group.Conv, joined.Conv);
        Assert.Equal(new[] { alice.Name, bob.Name, carol.Name }.Order(), joined.Members.Order());
        Assert.Equal([alice.Name], joined.Admins);
        Assert.Equal(joined.Members.Order(), again.Members.Order());
        var join = (GroupEvent)bob.Changes.Snapshot().Single(e => e is GroupEvent { Event: GroupEventKinds.Joined });
        Assert.Equal((carol.Name, carol.Name), (join.Member, join.By));
        Assert.Equal(ErrorCodes.NotFound, revoked.Code);
        Assert.NotEqual(code, fresh);
        Assert.Equal(3, (await alice.Client.GroupInfoAsync(group.Conv).Within()).Members.Count);
    }
}
