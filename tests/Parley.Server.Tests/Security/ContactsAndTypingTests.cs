using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>
/// Issue 17 items 7 and 11: nobody makes themselves a contact (last-seen privacy), and typing reaches nobody one has
/// no conversation with.
/// </summary>
public sealed class ContactsAndTypingTests(PresenceServer fixture) : IClassFixture<PresenceServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_stranger_cannot_become_a_contact_by_a_message_a_group_or_a_retention()
    {
        var (victim, stranger) = (Unique("v"), Unique("s"));
        await using var v = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, victim));
        await using var s = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, stranger));
        await PrivacyAsync(v, "contacts");
        Assert.Equal((false, null), await SnapshotAsync(s, victim));

        // Each way the old rule ("shares a conversation") gave the stranger a contact.
        await SendAsync(s, victim, "hello");
        Assert.Equal((false, null), await SnapshotAsync(s, victim));
        await OkAsync(s, new() { ["type"] = "retention", ["conv"] = Direct(victim, stranger), ["ttl"] = 3600 });
        Assert.Equal((false, null), await SnapshotAsync(s, victim));
        await OkAsync(s, new() { ["type"] = "group.create", ["name"] = "trap", ["members"] = new[] { victim } });
        Assert.Equal((false, null), await SnapshotAsync(s, victim));

        // The victim's own reply makes the contact.
        await SendAsync(v, stranger, "who are you?");
        Assert.True((await SnapshotAsync(s, victim)).Online);
    }

    [Fact]
    public async Task Typing_to_someone_one_has_no_conversation_with_reaches_nobody()
    {
        var (typist, target) = (Unique("t"), Unique("x"));
        await using var t = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, typist));
        await using var x = await WireClient.ConnectAsync(Server, await WireClient.LoginAsync(Server, target));
        var conv = Direct(typist, target);

        await TypingAsync(t, conv, "composing");
        await SendAsync(t, target, "now we talk");
        await x.NextAsync("message");
        // A relayed typing would have come by now (it takes a grain call, the message a commit); none does.
        // (Once the conversation has a message, typing goes through: TypingTests.)
        await Assert.ThrowsAsync<TimeoutException>(() => x.NextAsync(f => f.GetProperty("type").GetString() == "typing").WaitAsync(TimeSpan.FromMilliseconds(500)));
    }
}
