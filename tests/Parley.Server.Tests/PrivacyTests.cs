using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>The last-seen privacy setting: everyone, contacts, nobody, reciprocity, and changes applied at once.</summary>
public sealed class PrivacyTests(PresenceServer fixture) : IClassFixture<PresenceServer>
{
    private ServerProcess Server => fixture.Server;

    /// <summary>Alice goes online then offline (so she has a last seen), and is online again if <paramref name="stayOnline"/>.</summary>
    private async Task<(WireClient? Alice, long LastSeen)> SeenAsync(string aliceToken, WireClient witness, string alice, bool stayOnline)
    {
        var online = (await SubscribeAsync(witness, alice))[alice].Online;
        // A connection of Alice's that the test closed just before may not be detached yet; its going offline would
        // otherwise be taken for the pushes awaited below. Start from her offline.
        while (online) online = (await NextPresenceAsync(witness, alice)).Online;
        var first = await WireClient.ConnectAsync(Server, aliceToken);
        await NextPresenceAsync(witness, alice);
        await first.DisposeAsync();
        var lastSeen = (await NextPresenceAsync(witness, alice)).LastSeen!.Value;
        if (!stayOnline) return (null, lastSeen);
        var again = await WireClient.ConnectAsync(Server, aliceToken);
        await NextPresenceAsync(witness, alice);
        return (again, lastSeen);
    }

    [Fact]
    public async Task Nobody_hides_online_state_and_last_seen_from_everyone_but_the_user()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        var (a, _) = await SeenAsync(aliceToken, v, alice, stayOnline: true);
        await using var _a = a;
        await PrivacyAsync(a!, "nobody");
        Assert.Equal((false, null), await SnapshotAsync(v, alice));
        var self = await SnapshotAsync(a!, alice);
        Assert.True(self.Online);
        Assert.NotNull(self.LastSeen);
    }

    [Fact]
    public async Task Contacts_shows_presence_only_to_users_the_user_has_written_to()
    {
        var (alice, friend, stranger, witness) = (Unique("a"), Unique("f"), Unique("s"), Unique("w"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var f = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, friend));
        await using var s = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, stranger));
        await using var w = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, witness));
        // Alice has written to her friend (before the last seen the test follows: a send would move it).
        await using (var early = await WireClient.ConnectAsync(Server, aliceToken)) await SendAsync(early, friend);
        var (a, lastSeen) = await SeenAsync(aliceToken, w, alice, stayOnline: true);
        await using var _a = a;
        await PrivacyAsync(a!, "contacts");

        Assert.Equal((true, lastSeen), await SnapshotAsync(f, alice));
        Assert.Equal((false, null), await SnapshotAsync(s, alice));

        // Writing to her, or putting her in a group, does not make the stranger a contact (issue 17: only her own
        // messages make contacts); her writing to him does, and the next snapshot shows it.
        await SendAsync(s, alice);
        await OkAsync(s, new() { ["type"] = "group.create", ["name"] = "g", ["members"] = new[] { alice } });
        Assert.Equal((false, null), await SnapshotAsync(s, alice));
        await SendAsync(a!, stranger);
        var shown = await SnapshotAsync(s, alice);
        Assert.True(shown.Online);
        Assert.NotNull(shown.LastSeen);
    }

    [Fact]
    public async Task A_user_who_hides_their_last_seen_sees_nobody_elses_but_still_sees_who_is_online()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        await PrivacyAsync(v, "nobody");
        await SubscribeAsync(v, alice);
        var a = await WireClient.ConnectAsync(Server, aliceToken);
        Assert.Equal((true, null), await NextPresenceAsync(v, alice));
        await a.DisposeAsync();
        Assert.Equal((false, null), await NextPresenceAsync(v, alice));
        Assert.Equal((false, null), await SnapshotAsync(v, alice));
    }

    [Fact]
    public async Task A_change_of_the_users_setting_applies_to_existing_subscriptions_at_once()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        var (a, lastSeen) = await SeenAsync(aliceToken, v, alice, stayOnline: true);
        await using var _a = a;

        await PrivacyAsync(a!, "nobody");
        Assert.Equal((false, null), await NextPresenceAsync(v, alice));
        await PrivacyAsync(a!, "everyone");
        Assert.Equal((true, lastSeen), await NextPresenceAsync(v, alice));
        // Contacts, and the viewer is none: hidden again.
        await PrivacyAsync(a!, "contacts");
        Assert.Equal((false, null), await NextPresenceAsync(v, alice));
    }

    [Fact]
    public async Task A_change_of_the_viewers_own_setting_applies_to_their_subscriptions_at_once()
    {
        var (alice, viewer) = (Unique("a"), Unique("v"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, viewer));
        var (_, lastSeen) = await SeenAsync(aliceToken, v, alice, stayOnline: false);

        await PrivacyAsync(v, "nobody");
        Assert.Equal((false, null), await NextPresenceAsync(v, alice));
        await PrivacyAsync(v, "contacts");
        Assert.Equal((false, lastSeen), await NextPresenceAsync(v, alice));
    }
}
