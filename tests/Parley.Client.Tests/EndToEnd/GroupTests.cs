using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// Groups, retention and delete through the SDK against the real server.
public sealed class GroupTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Uri BaseUri => fixture.BaseUri;

    [Fact]
    public async Task Group_members_chat_and_the_sender_gets_aggregated_receipts()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await using var carol = await ChatUser.RegisterAsync(BaseUri, "carol");
        foreach (var user in new[] { alice, bob, carol }) await user.ConnectAsync(() => BaseUri);

        var group = await alice.Client!.CreateGroupAsync("Team", [bob.Name, carol.Name]).Within();
        await bob.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Created } g && g.Conv == group.Conv);
        var sent = await alice.Client.SendTextAsync(group.Conv, "hello team").Within();
        await bob.Messages.WaitForAsync(m => m.Id == sent.Id);
        await carol.Messages.WaitForAsync(m => m.Id == sent.Id);
        await alice.Receipts.WaitForAsync(r => r.Conv == group.Conv && r.Status == ReceiptStatuses.Delivered && r.UpTo >= sent.N);
        await bob.Client!.ReadAsync(group.Conv, sent.N).Within();
        await carol.Client!.ReadAsync(group.Conv, sent.N).Within();
        await alice.Receipts.WaitForAsync(r => r.Conv == group.Conv && r.Status == ReceiptStatuses.Read && r.UpTo >= sent.N);

        Assert.StartsWith("g:", group.Conv, StringComparison.Ordinal);
        Assert.Equal([alice.Name], group.Admins);
        var created = (GroupEvent)bob.Changes.Snapshot().First(e => e is GroupEvent);
        Assert.Equal(("Team", alice.Name), (created.Name, created.By));
        Assert.Equal(new[] { alice.Name, bob.Name, carol.Name }.Order(), created.Members!.Order());
        Assert.All(alice.Receipts.Snapshot().Where(r => r.Conv == group.Conv), r => Assert.Equal("*", r.By));
        var receipts = await alice.Client.ReceiptsAsync(group.Conv, sent.N).Within();
        Assert.Equal(new[] { bob.Name, carol.Name }.Order(), receipts.Read.Order());
        var info = await carol.Client.GroupInfoAsync(group.Conv).Within();
        Assert.Equal(("Team", 3), (info.Name, info.Members.Count));
    }

    [Fact]
    public async Task Admins_rename_promote_and_remove_and_members_see_every_change()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await using var carol = await ChatUser.RegisterAsync(BaseUri, "carol");
        foreach (var user in new[] { alice, bob, carol }) await user.ConnectAsync(() => BaseUri);
        var group = await alice.Client!.CreateGroupAsync("Old", [bob.Name]).Within();

        var members = await alice.Client.AddMembersAsync(group.Conv, [carol.Name]).Within();
        await alice.Client.RenameGroupAsync(group.Conv, "New").Within();
        var admins = await alice.Client.SetAdminAsync(group.Conv, bob.Name, admin: true).Within();
        var afterRemove = await bob.Client!.RemoveMemberAsync(group.Conv, carol.Name).Within();
        await alice.Client.LeaveGroupAsync(group.Conv).Within();
        await bob.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Left });
        await carol.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Removed });

        Assert.Contains(carol.Name, members);
        Assert.Equal(new[] { alice.Name, bob.Name }.Order(), admins.Order());
        Assert.DoesNotContain(carol.Name, afterRemove);
        var kinds = bob.Changes.Snapshot().OfType<GroupEvent>().Select(g => g.Event).ToList();
        Assert.Equal([GroupEventKinds.Created, GroupEventKinds.Added, GroupEventKinds.Renamed, GroupEventKinds.Admin, GroupEventKinds.Removed, GroupEventKinds.Left], kinds);
        var error = await Assert.ThrowsAsync<ParleyException>(() => carol.Client!.SendTextAsync(group.Conv, "still here?").Within());
        Assert.Equal(ErrorCodes.Forbidden, error.Code);
        Assert.Equal("New", (await bob.Client.GroupInfoAsync(group.Conv).Within()).Name);
    }

    [Fact]
    public async Task An_admin_sets_the_description_members_see_it_in_the_event_the_info_and_the_list_and_others_are_refused()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        foreach (var user in new[] { alice, bob }) await user.ConnectAsync(() => BaseUri);
        var group = await alice.Client!.CreateGroupAsync("Hikers", [bob.Name]).Within();

        await alice.Client.SetGroupDescriptionAsync(group.Conv, "  Saturday hikes\nmeet at 8  ").Within();
        await bob.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Described } g && g.Conv == group.Conv);
        var described = bob.Changes.Snapshot().OfType<GroupEvent>().Single(g => g.Event == GroupEventKinds.Described);
        var forbidden = await Assert.ThrowsAsync<ParleyException>(() => bob.Client!.SetGroupDescriptionAsync(group.Conv, "mine").Within());
        var limit = bob.Client!.Welcome!.Limits.MaxGroupDescriptionChars;
        var tooLong = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.SetGroupDescriptionAsync(group.Conv, new string('x', limit + 1)).Within());

        Assert.Equal(("Saturday hikes\nmeet at 8", alice.Name), (described.Description, described.By));
        Assert.Equal(ErrorCodes.Forbidden, forbidden.Code);
        Assert.Equal(512, limit);
        Assert.Equal(ErrorCodes.BadRequest, tooLong.Code);
        var info = await bob.Client.GroupInfoAsync(group.Conv).Within();
        Assert.Equal(("Hikers", "Saturday hikes\nmeet at 8"), (info.Name, info.Description));
        var row = Assert.Single(await bob.Client.ConversationsAsync().Within(), c => c.Conv == group.Conv);
        Assert.Equal("Saturday hikes\nmeet at 8", row.Description);

        await alice.Client.SetGroupDescriptionAsync(group.Conv, "").Within();
        await bob.Changes.WaitForAsync(e => e is GroupEvent { Event: GroupEventKinds.Described, Description: "" });
        Assert.Equal("", (await bob.Client.GroupInfoAsync(group.Conv).Within()).Description);
    }

    [Fact]
    public async Task Retention_changes_and_deletes_reach_both_sides_as_events()
    {
        await using var alice = await ChatUser.RegisterAsync(BaseUri, "alice");
        await using var bob = await ChatUser.RegisterAsync(BaseUri, "bob");
        await alice.ConnectAsync(() => BaseUri);
        await bob.ConnectAsync(() => BaseUri);
        var conv = ConversationIds.Direct(alice.Name, bob.Name);

        var retention = await alice.Client!.SetRetentionAsync(conv, 3600).Within();
        await bob.Changes.WaitForAsync(e => e is SettingsEvent { Retention: 3600 });
        var sent = await alice.Client.SendTextAsync(bob.Name, "soon gone").Within();
        await bob.Messages.WaitForAsync(m => m.Id == sent.Id);
        await alice.Client.DeleteAsync(conv, sent.N).Within();
        await bob.Changes.WaitForAsync(e => e is DeletedEvent d && d.N == sent.N);
        var permanent = await bob.Client!.SetRetentionAsync(conv, null).Within();

        Assert.Equal(3600, retention);
        Assert.Null(permanent);
        Assert.NotNull(sent.ExpiresAt);
        Assert.InRange(sent.ExpiresAt!.Value - sent.Ts, 3_599_000, 3_600_000);
        Assert.Empty(await bob.FullHistoryAsync(conv));
        var again = await Assert.ThrowsAsync<ParleyException>(() => alice.Client.DeleteAsync(conv, sent.N).Within());
        Assert.Equal(ErrorCodes.NotFound, again.Code);
    }
}
