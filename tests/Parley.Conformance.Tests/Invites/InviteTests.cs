using System.Text.RegularExpressions;
using Parley.Conformance.Tests.Blocking;
using Parley.Conformance.Tests.Groups;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Invites;

/// <summary>
/// v1.1 group invite links, from the protocol text: admins make (one live code per group, at least 16 URL-safe
/// characters) and revoke a code; anyone with a live code joins (not_found for an unknown or revoked one, group_full at the
/// cap, ok and nothing changed for a member); a join emits <c>joined</c> to every member and the joiner, who sees messages
/// from then on; blocking does not apply. The server here allows <see cref="SmallGroupServer.MaxMembers"/> members.
/// </summary>
public sealed partial class InviteTests(SmallGroupServer fixture) : IClassFixture<SmallGroupServer>
{
    private TestServer Server => fixture.Server;

    [GeneratedRegex("^[A-Za-z0-9_-]{16,}$")]
    private static partial Regex UrlSafe();

    [Fact]
    public async Task Welcome_says_protocol_1_1()
    {
        await using var users = await Server.ConnectUsersAsync("alice");
        Assert.Equal("1.1", users[0].Client.Welcome!.Str("protocol"));
    }

    [Fact]
    public async Task An_admin_gets_one_url_safe_code_per_group_and_the_same_one_when_asking_again()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, _)) = users;
        var first = await aliceClient.CreateGroupAsync("one", bob);
        var second = await aliceClient.CreateGroupAsync("two", bob);

        var code = await aliceClient.CodeAsync(first);

        Assert.Matches(UrlSafe(), code);
        Assert.Equal(code, await aliceClient.CodeAsync(first));
        Assert.NotEqual(code, await aliceClient.CodeAsync(second));
    }

    [Fact]
    public async Task Only_admins_make_or_revoke_a_code()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((_, aliceClient), (bob, bobClient), (_, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("admins only", bob);
        var code = await aliceClient.CodeAsync(conv);

        Assert.Equal("forbidden", (await bobClient.InviteAsync(conv)).Str("code"));
        Assert.Equal("forbidden", (await bobClient.RevokeInviteAsync(conv)).Str("code"));
        Assert.Equal("forbidden", (await carolClient.InviteAsync(conv)).Str("code"));
        Assert.Equal("forbidden", (await carolClient.RevokeInviteAsync(conv)).Str("code"));
        // The code still works: nothing was revoked.
        Assert.True((await carolClient.JoinAsync(code)).IsOk);
    }

    [Fact]
    public async Task Joining_answers_like_group_create_and_tells_every_member_and_the_joiner()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("club", bob);
        await aliceClient.SendToGroupAsync(conv, "\"before\"");
        var code = await aliceClient.CodeAsync(conv);

        var joined = await carolClient.JoinAsync(code);

        Assert.True(joined.IsOk, joined.Raw);
        Assert.Equal(conv, joined.Str("conv"));
        Assert.Equal(new[] { alice.Username, bob.Username, carol.Username }.Order(StringComparer.Ordinal), InviteWire.Names(joined, "members").Order(StringComparer.Ordinal));
        Assert.Equal([alice.Username], InviteWire.Names(joined, "admins"));
        foreach (var client in new[] { aliceClient, bobClient, carolClient })
        {
            var e = await client.NextGroupEventAsync(conv, "joined");
            Assert.Equal((carol.Username, carol.Username), (e.Str("member"), e.Str("by")));
        }
        // The joiner sees messages sent from then on, not before.
        Assert.Empty(await carolClient.HistoryNsAsync(conv));
        await bobClient.SendToGroupAsync(conv, "\"after\"");
        var message = await carolClient.NextEventAsync("message", f => f.Str("conv") == conv);
        Assert.Equal(2, message.Number("n"));
        Assert.Equal([2L], await carolClient.HistoryNsAsync(conv));
    }

    [Fact]
    public async Task An_unknown_or_revoked_code_is_not_found_and_the_next_invite_makes_a_new_code()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((_, aliceClient), (bob, _), (_, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("revoked", bob);
        var code = await aliceClient.CodeAsync(conv);

        Assert.Equal("not_found", (await carolClient.JoinAsync("no-such-code-" + Names.Random(16))).Str("code"));
        Assert.True((await aliceClient.RevokeInviteAsync(conv)).IsOk);
        Assert.True((await aliceClient.RevokeInviteAsync(conv)).IsOk);
        Assert.Equal("not_found", (await carolClient.JoinAsync(code)).Str("code"));

        var fresh = await aliceClient.CodeAsync(conv);
        Assert.NotEqual(code, fresh);
        Assert.Equal("not_found", (await carolClient.JoinAsync(code)).Str("code"));
        Assert.True((await carolClient.JoinAsync(fresh)).IsOk);
    }

    [Fact]
    public async Task Joining_a_full_group_is_group_full_and_adds_nobody()
    {
        var alice = await Server.NewUserAsync("alice");
        var others = new List<Session>();
        for (var i = 0; i < SmallGroupServer.MaxMembers - 1; i++) others.Add(await Server.NewUserAsync("m"));
        var late = await Server.NewUserAsync("late");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var lateClient = await Server.ConnectAsync(late);
        var conv = await aliceClient.CreateGroupAsync("full", [.. others]);
        var code = await aliceClient.CodeAsync(conv);

        Assert.Equal("group_full", (await lateClient.JoinAsync(code)).Str("code"));

        Assert.Equal(SmallGroupServer.MaxMembers, (await aliceClient.InfoAsync(conv)).Get("members").GetArrayLength());
    }

    [Fact]
    public async Task Joining_a_group_one_is_in_is_ok_and_changes_nothing()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("already", bob);
        var code = await aliceClient.CodeAsync(conv);

        var again = await bobClient.JoinAsync(code);
        var own = await aliceClient.JoinAsync(code);

        Assert.True(again.IsOk, again.Raw);
        Assert.True(own.IsOk, own.Raw);
        Assert.Equal(conv, again.Str("conv"));
        Assert.Equal([alice.Username], InviteWire.Names(again, "admins"));
        // A message after the joins is the fence: no group event came before it.
        await aliceClient.SendToGroupAsync(conv, "\"fence\"");
        await bobClient.NextEventAsync("message", f => f.Str("conv") == conv);
        Assert.Empty(bobClient.Untaken(f => f.Type == "group" && f.Str("event") == "joined"));
    }

    [Fact]
    public async Task Blocking_does_not_apply_to_a_join_by_code()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((_, aliceClient), (bob, bobClient), (carol, _)) = users;
        var conv = await aliceClient.CreateGroupAsync("open", carol);
        Assert.True((await aliceClient.BlockAsync(bob.Username)).IsOk);
        var code = await aliceClient.CodeAsync(conv);

        var joined = await bobClient.JoinAsync(code);

        Assert.True(joined.IsOk, joined.Raw);
        Assert.Contains(bob.Username, InviteWire.Names(joined, "members"));
    }

    [Theory]
    [InlineData("""{"type":"group.join"}""")]
    [InlineData("""{"type":"group.join","code":42}""")]
    [InlineData("""{"type":"group.join","code":null}""")]
    [InlineData("""{"type":"group.invite"}""")]
    [InlineData("""{"type":"group.invite","conv":"d:aaa:bbb"}""")]
    [InlineData("""{"type":"group.revokeInvite","conv":7}""")]
    public async Task A_malformed_invite_request_is_one_bad_request(string frame)
    {
        await using var users = await Server.ConnectUsersAsync("alice");

        var reply = await users[0].Client.OnlyReplyAsync(frame);

        Assert.Equal("bad_request", reply.Str("code"));
    }
}
