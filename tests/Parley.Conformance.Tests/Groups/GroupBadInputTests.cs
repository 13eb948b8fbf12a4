using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>Group requests that must be refused, and what they must leave unchanged.</summary>
public sealed class GroupBadInputTests(GroupServer fixture) : IClassFixture<GroupServer>
{
    private TestServer Server => fixture.Server;

    /// <summary>A well-formed group id that no group has.</summary>
    private static string UnknownGroup => "g:" + Names.Random(16);

    [Fact]
    public async Task Sending_to_an_unknown_group_is_not_found()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        IsError(await client.SendMessageAsync(conv: UnknownGroup), "not_found");
    }

    [Theory]
    [InlineData("group.info")]
    [InlineData("group.add")]
    [InlineData("group.remove")]
    [InlineData("group.leave")]
    [InlineData("group.rename")]
    [InlineData("group.admin")]
    [InlineData("history")]
    [InlineData("receipts")]
    public async Task A_group_request_on_an_unknown_group_is_not_found(string type)
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice);
        var conv = UnknownGroup;
        var request = type switch
        {
            "group.info" => Info(conv),
            "group.add" => Add(conv, bob.Username),
            "group.remove" => Remove(conv, bob.Username),
            "group.leave" => Leave(conv),
            "group.rename" => Rename(conv, "Name"),
            "group.admin" => Admin(conv, bob.Username, admin: true),
            "history" => History(conv),
            _ => ReceiptsOf(conv, 1),
        };

        IsError(await client.RequestAsync(request), "not_found");
    }

    [Fact]
    public async Task A_non_member_sending_to_a_group_is_forbidden_and_nothing_is_stored()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var eve = await Server.NewUserAsync("eve");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob, autoAck: true);
        await using var eveClient = await Server.ConnectAsync(eve);
        var conv = await aliceClient.CreateGroupAsync("Closed", bob);

        IsError(await eveClient.SendMessageAsync(conv: conv, body: "\"intruder\""), "forbidden");

        var next = await aliceClient.SendToGroupAsync(conv);
        Assert.Equal(1, next.Number("n"));
        await bobClient.NextEventAsync("message", m => m.Str("id") == next.Str("id"));
        Assert.DoesNotContain(bobClient.Received, f => f.Raw.Contains("intruder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_non_member_cannot_read_a_groups_history_or_info()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var eve = await Server.NewUserAsync("eve");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var eveClient = await Server.ConnectAsync(eve);
        var conv = await aliceClient.CreateGroupAsync("Private name", bob);
        await aliceClient.SendToGroupAsync(conv, "\"secret\"");

        var history = await eveClient.RequestAsync(History(conv));
        var info = await eveClient.RequestAsync(Info(conv));

        IsError(history, "forbidden");
        IsError(info, "forbidden");
        Assert.DoesNotContain("secret", history.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Private name", info.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_member_cannot_change_a_group_or_join_it()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var eve = await Server.NewUserAsync("eve");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var eveClient = await Server.ConnectAsync(eve);
        var conv = await aliceClient.CreateGroupAsync("Untouched", bob);

        IsError(await eveClient.RequestAsync(Add(conv, eve.Username)), "forbidden");
        IsError(await eveClient.RequestAsync(Remove(conv, bob.Username)), "forbidden");
        IsError(await eveClient.RequestAsync(Rename(conv, "Owned")), "forbidden");
        IsError(await eveClient.RequestAsync(Admin(conv, eve.Username, admin: true)), "forbidden");

        var info = await aliceClient.InfoAsync(conv);
        Assert.Equal("Untouched", info.Str("name"));
        SameUsers([alice, bob], info.Get("members"));
        SameUsers([alice], info.Get("admins"));
    }

    [Fact]
    public async Task Creating_a_group_with_a_member_listed_twice_is_bad_request()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);

        IsError(await client.RequestAsync(Create("Twice", bob.Username, bob.Username)), "bad_request");

        await AssertNoGroupAsync(client);
    }

    [Fact]
    public async Task Adding_a_member_listed_twice_is_bad_request_and_adds_nobody()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        var dave = await Server.NewUserAsync("dave");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = await client.CreateGroupAsync("Twice", bob);

        IsError(await client.RequestAsync(Add(conv, carol.Username, dave.Username, carol.Username)), "bad_request");

        SameUsers([alice, bob], (await client.InfoAsync(conv)).Get("members"));
    }

    [Fact]
    public async Task Creating_a_group_with_an_unknown_user_is_not_found_and_creates_nothing()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;

        IsError(await aliceClient.RequestAsync(Create("Ghost", bob.Username, Names.User("ghost"))), "not_found");

        await AssertNoGroupAsync(aliceClient);
        var later = await aliceClient.SendOkAsync(bob.Username, "\"barrier\"");
        await bobClient.NextEventAsync("message", m => m.Str("id") == later.Str("id"));
        Assert.DoesNotContain(bobClient.Received, f => f.Type == "group");
    }

    [Fact]
    public async Task Adding_an_unknown_user_is_not_found_and_adds_nobody()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var carolClient = await Server.ConnectAsync(carol, autoAck: true);
        var conv = await aliceClient.CreateGroupAsync("No ghosts", bob);

        IsError(await aliceClient.RequestAsync(Add(conv, carol.Username, Names.User("ghost"))), "not_found");

        SameUsers([alice, bob], (await aliceClient.InfoAsync(conv)).Get("members"));
        IsError(await carolClient.SendMessageAsync(conv: conv), "forbidden");
        Assert.DoesNotContain(carolClient.Received, f => f.Type == "group");
    }

    [Fact]
    public async Task Creating_a_group_with_an_empty_name_is_bad_request()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);

        IsError(await client.RequestAsync(Create("", bob.Username)), "bad_request");

        await AssertNoGroupAsync(client);
    }

    [Fact]
    public async Task Creating_a_group_with_a_name_over_100_characters_is_bad_request()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);

        IsError(await client.RequestAsync(Create(new string('n', 101), bob.Username)), "bad_request");

        await AssertNoGroupAsync(client);
    }

    [Fact]
    public async Task Renaming_a_group_to_an_empty_name_is_bad_request_and_keeps_the_name()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = await client.CreateGroupAsync("Kept", bob);

        IsError(await client.RequestAsync(Rename(conv, "")), "bad_request");

        Assert.Equal("Kept", (await client.InfoAsync(conv)).Str("name"));
    }

    [Fact]
    public async Task Renaming_a_group_to_a_name_over_100_characters_is_bad_request_and_keeps_the_name()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = await client.CreateGroupAsync("Kept", bob);

        IsError(await client.RequestAsync(Rename(conv, new string('n', 101))), "bad_request");

        Assert.Equal("Kept", (await client.InfoAsync(conv)).Str("name"));
    }

    [Theory]
    [InlineData("{\"type\":\"group.create\",\"rid\":\"RID\",\"members\":[\"bob_x\"]}")]
    [InlineData("{\"type\":\"group.create\",\"rid\":\"RID\",\"name\":\"No members\"}")]
    [InlineData("{\"type\":\"group.create\",\"rid\":\"RID\",\"name\":\"Wrong type\",\"members\":\"bob_x\"}")]
    [InlineData("{\"type\":\"group.create\",\"rid\":\"RID\",\"name\":7,\"members\":[]}")]
    [InlineData("{\"type\":\"group.add\",\"rid\":\"RID\",\"members\":[\"bob_x\"]}")]
    [InlineData("{\"type\":\"group.admin\",\"rid\":\"RID\",\"conv\":\"g:x\",\"member\":\"bob_x\"}")]
    [InlineData("{\"type\":\"group.admin\",\"rid\":\"RID\",\"conv\":\"g:x\",\"member\":\"bob_x\",\"admin\":\"yes\"}")]
    [InlineData("{\"type\":\"group.remove\",\"rid\":\"RID\",\"conv\":\"g:x\"}")]
    [InlineData("{\"type\":\"receipts\",\"rid\":\"RID\",\"conv\":\"g:x\"}")]
    public async Task A_group_request_with_a_missing_or_mistyped_field_is_bad_request(string frame)
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);
        var rid = RawClient.NewRid();

        await client.SendRawAsync(frame.Replace("RID", rid, StringComparison.Ordinal));

        IsError(await client.ReplyAsync(rid), "bad_request");
        await client.PingAsync();
    }

    private static async Task AssertNoGroupAsync(RawClient client)
    {
        var convs = await client.OkAsync(new JsonObject { ["type"] = "convs" });
        Assert.DoesNotContain(convs.Get("conversations").EnumerateArray(), c => c.GetProperty("kind").GetString() == "group");
    }
}
