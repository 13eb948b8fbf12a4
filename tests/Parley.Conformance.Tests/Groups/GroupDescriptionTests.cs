using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>
/// docs/protocol.md, Groups, "Descriptions" (an addition, issue 20): <c>group.describe</c> (admins only, like rename), the
/// <c>described</c> event, <c>description</c> in <c>group.info</c> and <c>convs</c>, the limit in <c>welcome</c>, the note.
/// </summary>
public sealed class GroupDescriptionTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    /// <summary>The default of <c>Parley:Groups:MaxDescriptionChars</c>, which this fixture's server keeps.</summary>
    private const int MaxChars = 512;

    private TestServer Server => fixture.Server;

    private static JsonObject Describe(string conv, JsonNode? description) =>
        new() { ["type"] = "group.describe", ["conv"] = conv, ["description"] = description };

    private static JsonObject Convs(bool left = false) => left ? new() { ["type"] = "convs", ["left"] = true } : new() { ["type"] = "convs" };

    private static JsonElement Row(Frame convs, string conv)
    {
        var matching = convs.Get("conversations").EnumerateArray().Where(c => c.GetProperty("conv").GetString() == conv).ToList();
        Assert.True(matching.Count == 1, convs.Raw);
        return matching[0];
    }

    private static string DescriptionOf(JsonElement row)
    {
        Assert.True(row.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String, $"no string description in {row}");
        return d.GetString()!;
    }

    [Fact]
    public async Task An_admin_describes_the_group_every_member_gets_the_event_and_info_and_convs_carry_it()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Hikers", bob);
        const string text = "Saturday hikes.\nMeet at 8 at the station 🚉";

        var reply = await aliceClient.OkAsync(Describe(conv, text));

        Assert.False(reply.Has("description"), reply.Raw);
        foreach (var client in new[] { aliceClient, bobClient })
        {
            var described = await client.NextGroupEventAsync(conv, "described");
            Assert.Equal(text, described.Str("description"));
            Assert.Equal(alice.Username, described.Str("by"));
        }
        Assert.Equal(text, (await bobClient.InfoAsync(conv)).Str("description"));
        Assert.Equal("Hikers", (await bobClient.InfoAsync(conv)).Str("name"));
        Assert.Equal(text, DescriptionOf(Row(await bobClient.OkAsync(Convs()), conv)));
        Assert.Equal(text, DescriptionOf(Row(await aliceClient.OkAsync(Convs()), conv)));
    }

    [Fact]
    public async Task A_group_starts_without_a_description_and_direct_conversations_have_none()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, _)) = users;
        var conv = await aliceClient.CreateGroupAsync("Plain", bob);
        var direct = (await aliceClient.SendOkAsync(to: bob.Username)).Str("conv")!;

        var created = await aliceClient.NextGroupEventAsync(conv, "created");
        var convs = await aliceClient.OkAsync(Convs());

        Assert.False(created.Has("description"), created.Raw);
        Assert.Equal("", (await aliceClient.InfoAsync(conv)).Str("description"));
        Assert.Equal("", DescriptionOf(Row(convs, conv)));
        Assert.False(Row(convs, direct).TryGetProperty("description", out _), convs.Raw);
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_is_forbidden_and_nothing_changes()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Kept", bob);
        await aliceClient.OkAsync(Describe(conv, "the admin's words"));
        await bobClient.NextGroupEventAsync(conv, "described");

        IsError(await bobClient.RequestAsync(Describe(conv, "Hijacked")), "forbidden");

        Assert.Equal("the admin's words", (await aliceClient.InfoAsync(conv)).Str("description"));
        // alice's inbox: a second described event would come before this later message.
        var later = await bobClient.SendToGroupAsync(conv);
        await aliceClient.NextEventAsync("message", m => m.Str("id") == later.Str("id"));
        Assert.Single(aliceClient.Received, f => f.Type == "group" && f.Str("event") == "described");
    }

    [Fact]
    public async Task A_non_member_is_forbidden_an_unknown_group_not_found_and_a_direct_conv_bad_request()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "eve");
        var ((alice, aliceClient), (bob, _), (_, eveClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Closed", bob);

        IsError(await eveClient.RequestAsync(Describe(conv, "mine")), "forbidden");
        IsError(await aliceClient.RequestAsync(Describe("g:" + Names.Random(16), "nobody's")), "not_found");
        IsError(await aliceClient.RequestAsync(Describe(string.Join(':', "d", alice.Username, bob.Username), "direct")), "bad_request");
        Assert.Equal("", (await aliceClient.InfoAsync(conv)).Str("description"));
    }

    [Fact]
    public async Task The_limit_is_announced_in_welcome_and_one_character_more_is_bad_request_and_changes_nothing()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, _)) = users;
        var conv = await aliceClient.CreateGroupAsync("Limits", bob);
        var atTheLimit = new string('x', MaxChars);

        var limit = aliceClient.Welcome!.Get("limits").GetProperty("maxGroupDescriptionChars").GetInt32();
        await aliceClient.OkAsync(Describe(conv, atTheLimit));
        var tooLong = await aliceClient.RequestAsync(Describe(conv, new string('y', MaxChars + 1)));
        // Counted in UTF-16 code units: an emoji outside the BMP counts 2, so 511 + 2 is one too many.
        var emojiTooLong = await aliceClient.RequestAsync(Describe(conv, new string('z', MaxChars - 1) + "😀"));
        // Trimmed before it is counted (and stored trimmed).
        var padded = await aliceClient.RequestAsync(Describe(conv, "  \n" + new string('w', MaxChars) + "\t "));

        Assert.Equal(MaxChars, limit);
        IsError(tooLong, "bad_request");
        Assert.Contains($"at most {MaxChars}", tooLong.Str("message"), StringComparison.Ordinal);
        IsError(emojiTooLong, "bad_request");
        Assert.True(padded.IsOk, padded.Raw);
        Assert.Equal(new string('w', MaxChars), (await aliceClient.InfoAsync(conv)).Str("description"));
        // The refused ones wrote no event: alice's inbox holds the one at the limit, then the padded one, in that order.
        await aliceClient.NextEventAsync("group", f => f.Str("event") == "described" && f.Str("description") == new string('w', MaxChars));
        Assert.Equal([atTheLimit, new string('w', MaxChars)],
            aliceClient.Received.Where(f => f.Type == "group" && f.Str("event") == "described").Select(f => f.Str("description")));
    }

    [Theory]
    [InlineData("""{"type":"group.describe","rid":"bad","conv":"CONV","description":5}""", "description")]
    [InlineData("""{"type":"group.describe","rid":"bad","conv":"CONV","description":null}""", "description")]
    [InlineData("""{"type":"group.describe","rid":"bad","conv":"CONV","description":["x"]}""", "description")]
    [InlineData("""{"type":"group.describe","rid":"bad","conv":"CONV"}""", "description")]
    [InlineData("""{"type":"group.describe","rid":"bad","description":"x"}""", "conv")]
    public async Task A_description_that_is_missing_or_not_a_string_is_bad_request_naming_the_field(string frame, string field)
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, _)) = users;
        var conv = await aliceClient.CreateGroupAsync("Shapes", bob);
        await aliceClient.OkAsync(Describe(conv, "kept"));

        await aliceClient.SendRawAsync(frame.Replace("CONV", conv, StringComparison.Ordinal));
        var reply = await aliceClient.ReplyAsync("bad");

        IsError(reply, "bad_request");
        Assert.Contains($"'{field}'", reply.Str("message"), StringComparison.Ordinal);
        Assert.Equal("kept", (await aliceClient.InfoAsync(conv)).Str("description"));
    }

    [Fact]
    public async Task An_empty_description_clears_it_and_members_are_told_with_an_empty_description()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Clearing", bob);
        await aliceClient.OkAsync(Describe(conv, "soon gone"));
        await bobClient.NextGroupEventAsync(conv, "described");

        await aliceClient.OkAsync(Describe(conv, ""));
        var cleared = await bobClient.NextEventAsync("group", f => f.Str("conv") == conv && f.Str("event") == "described" && f.Str("description") == "");
        await aliceClient.OkAsync(Describe(conv, "back"));
        await aliceClient.OkAsync(Describe(conv, "   \n "));
        var clearedByWhiteSpace = await bobClient.NextEventAsync(
            "group", f => f.Str("conv") == conv && f.Str("event") == "described" && f.Str("description") == "" && f.Seq > cleared.Seq);

        Assert.Equal("", (await bobClient.InfoAsync(conv)).Str("description"));
        Assert.Equal("", DescriptionOf(Row(await bobClient.OkAsync(Convs()), conv)));
        Assert.True(clearedByWhiteSpace.Seq > cleared.Seq);
    }

    [Fact]
    public async Task History_keeps_each_change_as_a_note_after_the_message_it_followed()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Noted", bob);
        var first = await aliceClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Describe(conv, "what we do"));
        var second = await aliceClient.SendToGroupAsync(conv);
        await aliceClient.OkAsync(Describe(conv, ""));

        var history = await bobClient.OkAsync(History(conv));

        var notes = history.Get("notes").EnumerateArray().Where(n => n.GetProperty("event").GetString() == "described").ToList();
        Assert.Equal(2, notes.Count);
        Assert.Equal(["what we do", ""], notes.Select(n => n.GetProperty("description").GetString()));
        Assert.Equal([first.Number("n"), second.Number("n")], notes.Select(n => n.GetProperty("afterN").GetInt64()));
        Assert.All(notes, n => Assert.Equal(("group", alice.Username), (n.GetProperty("type").GetString(), n.GetProperty("by").GetString())));
    }

    [Fact]
    public async Task A_group_left_is_listed_with_its_description()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((_, aliceClient), (bob, bobClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("Gone", bob);
        await aliceClient.OkAsync(Describe(conv, "still readable"));
        await bobClient.NextGroupEventAsync(conv, "described");
        await bobClient.OkAsync(Leave(conv));

        var row = Row(await bobClient.OkAsync(Convs(left: true)), conv);

        Assert.True(row.GetProperty("left").GetBoolean(), row.ToString());
        Assert.Equal("still readable", DescriptionOf(row));
    }
}
