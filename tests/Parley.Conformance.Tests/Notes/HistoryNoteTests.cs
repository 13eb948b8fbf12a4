using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Groups;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Notes;

/// <summary>
/// docs/protocol.md, "history: notes" (an addition): the group events and retention changes of a conversation come back
/// with its history, each placed after the message it followed, so a timeline reads the same after a reload.
/// </summary>
public sealed class HistoryNoteTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    private static JsonObject HistoryPage(string conv, long? before = null, int? limit = null)
    {
        var frame = History(conv);
        if (before is { } b) frame["before"] = b;
        if (limit is { } l) frame["limit"] = l;
        return frame;
    }

    private static JsonObject Retention(string conv, long? ttl) =>
        new() { ["type"] = "retention", ["conv"] = conv, ["ttl"] = ttl };

    private static List<JsonElement> Notes(Frame history) => [.. history.Get("notes").EnumerateArray()];

    [Fact]
    public async Task A_groups_history_holds_its_events_in_order_each_after_the_message_it_followed()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, bobClient), (carol, _)) = users;
        var conv = await aliceClient.CreateGroupAsync("Notes", bob);
        var first = await aliceClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Add(conv, carol.Username));
        await aliceClient.OkAsync(Rename(conv, "Renamed"));
        var second = await bobClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Retention(conv, 3600));

        var history = await bobClient.OkAsync(History(conv));

        var notes = Notes(history);
        Assert.Equal(["created", "added", "renamed"], notes.Take(3).Select(n => n.GetProperty("event").GetString()));
        Assert.Equal([0L, first.Number("n"), first.Number("n")], notes.Take(3).Select(n => n.GetProperty("afterN").GetInt64()));
        Assert.All(notes.Take(3), n => Assert.Equal("group", n.GetProperty("type").GetString()));
        Assert.All(notes, n => Assert.Equal(alice.Username, n.GetProperty("by").GetString()));
        Assert.All(notes, n => Assert.True(n.GetProperty("ts").GetInt64() > 0, n.ToString()));
        Assert.Equal([carol.Username], Strings(notes[1].GetProperty("members")));
        Assert.Equal("Renamed", notes[2].GetProperty("name").GetString());
        var settings = notes[3];
        Assert.Equal("settings", settings.GetProperty("type").GetString());
        Assert.Equal(3600, settings.GetProperty("retention").GetInt64());
        Assert.Equal(second.Number("n"), settings.GetProperty("afterN").GetInt64());
        Assert.Equal(4, notes.Count);
        Assert.False(settings.TryGetProperty("seq", out _), settings.ToString());
    }

    [Fact]
    public async Task Paging_back_shows_each_note_once_in_the_page_that_holds_its_place()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((_, aliceClient), (bob, bobClient), (carol, _)) = users;
        var conv = await aliceClient.CreateGroupAsync("Pages", bob);
        var sent = new List<long>();
        for (var i = 0; i < 4; i++) sent.Add((await aliceClient.SendToGroupAsync(conv)).Number("n"));
        await aliceClient.OkAsync(Add(conv, carol.Username));
        for (var i = 0; i < 2; i++) sent.Add((await aliceClient.SendToGroupAsync(conv)).Number("n"));

        // Newest page: messages 5 and 6 (ns sent[4], sent[5]); "added" followed sent[3], which is in the older page.
        var newest = await bobClient.OkAsync(HistoryPage(conv, limit: 2));
        Assert.Empty(Notes(newest));
        var middle = await bobClient.OkAsync(HistoryPage(conv, before: sent[4], limit: 2));
        Assert.Equal(["added"], Notes(middle).Select(n => n.GetProperty("event").GetString()));
        Assert.Equal(sent[3], Notes(middle)[0].GetProperty("afterN").GetInt64());
        // A full page cannot know it is the first: "created" (after 0) comes with the page that says the start was reached.
        var oldest = await bobClient.OkAsync(HistoryPage(conv, before: sent[2], limit: 2));
        Assert.Empty(Notes(oldest));
        var beyond = await bobClient.OkAsync(HistoryPage(conv, before: sent[0], limit: 2));
        Assert.Empty(beyond.Get("messages").EnumerateArray());
        Assert.Equal(["created"], Notes(beyond).Select(n => n.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task A_member_added_later_sees_the_notes_from_their_joining_on_but_not_those_before()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((_, aliceClient), (bob, bobClient), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Late", bob);
        await aliceClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Rename(conv, "Before carol"));
        await aliceClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Add(conv, carol.Username));
        await aliceClient.OkAsync(Rename(conv, "With carol"));

        var carols = Notes(await carolClient.OkAsync(History(conv)));

        Assert.Equal(["added", "renamed"], carols.Select(n => n.GetProperty("event").GetString()));
        Assert.Equal("With carol", carols[1].GetProperty("name").GetString());
        Assert.Equal(4, Notes(await bobClient.OkAsync(History(conv))).Count);
    }

    [Fact]
    public async Task A_direct_conversations_retention_changes_come_back_with_its_history()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var sent = await aliceClient.SendOkAsync(to: bob.Username);
        var conv = sent.Str("conv")!;
        await bobClient.OkAsync(Retention(conv, 86400));
        await aliceClient.OkAsync(Retention(conv, null));

        var notes = Notes(await aliceClient.OkAsync(History(conv)));

        Assert.Equal(2, notes.Count);
        Assert.Equal([bob.Username, alice.Username], notes.Select(n => n.GetProperty("by").GetString()));
        Assert.Equal(86400, notes[0].GetProperty("retention").GetInt64());
        Assert.Equal(JsonValueKind.Null, notes[1].GetProperty("retention").ValueKind);
        Assert.All(notes, n => Assert.Equal(sent.Number("n"), n.GetProperty("afterN").GetInt64()));
    }
}
