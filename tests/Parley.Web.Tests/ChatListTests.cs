using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>The chat list: most recent activity first, unread badges, search by name, opened by keyboard.</summary>
[Collection(BrowserTests.Name)]
public sealed class ChatListTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static async Task SendAsync(WireClient from, string to, string text)
    {
        var ok = await from.RequestAsync(new() { ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), ["to"] = to, ["body"] = text });
        Assert.Equal("ok", ok.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Chats_are_sorted_by_activity_counted_unread_and_found_by_name()
    {
        var (bob, carol, dave) = (Pair.Unique("bob_"), Pair.Unique("carol_"), Pair.Unique("dave_"));
        await using var c = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));
        await using var d = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, dave, ChatPage.Password));
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.SignUpAsync();

        await SendAsync(c, bob, "Hi from carol");
        await Expect(b.ChatItem(carol)).ToBeVisibleAsync();
        await SendAsync(d, bob, "Hi from dave");
        var names = b.Page.Locator(".chat-item .chat-item-name");
        await Expect(names).ToHaveTextAsync([dave, carol]);

        await SendAsync(c, bob, "Carol again");
        await Expect(names).ToHaveTextAsync([carol, dave]);
        await Expect(b.ChatItem(carol).Locator(".badge")).ToHaveTextAsync("2");
        await Expect(b.ChatItem(dave).Locator(".badge")).ToHaveTextAsync("1");
        await b.ShotAsync("25-chat-list-sorted");

        // Search by name, and open the first match with Enter.
        await b.Page.Locator("#search").FillAsync("dave");
        await Expect(names).ToHaveTextAsync([dave]);
        await b.Page.Locator("#search").PressAsync("Enter");
        await Expect(b.Page.Locator("#chat-name")).ToHaveTextAsync(dave);
        await Expect(b.Page.Locator("#input")).ToBeFocusedAsync();
        await b.Page.Locator("#search").FillAsync("");
        await Expect(names).ToHaveTextAsync([carol, dave]);
        await Expect(b.ChatItem(dave).Locator(".badge")).ToBeHiddenAsync();
        await Expect(b.ChatItem(carol).Locator(".badge")).ToHaveTextAsync("2");

        // Unread counts survive a reload (they come from `convs`).
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await Expect(b.ChatItem(carol).Locator(".badge")).ToHaveTextAsync("2");
        await Expect(b.ChatItem(dave).Locator(".badge")).ToBeHiddenAsync();
        await Expect(b.ChatItem(carol).Locator(".chat-item-last")).ToHaveTextAsync("Carol again");
    }

    [Fact]
    public async Task A_search_without_matches_says_so_and_offers_a_chat_with_that_name()
    {
        await using var two = await PageAndWire.StartAsync(fixture, output);
        var (b, c, bob, carol) = (two.Bob, two.Carol, two.Bob.User, two.CarolName);
        await SendAsync(c, bob, "Hi from carol");
        await Expect(b.ChatItem(carol)).ToBeVisibleAsync();

        await b.Page.Locator("#search").FillAsync("nobody here");
        await Expect(b.Page.Locator(".chat-item")).ToHaveCountAsync(0);
        await Expect(b.Page.Locator("#chat-list-nomatch")).ToContainTextAsync("No chats found for “nobody here”.");
        await Expect(b.Page.Locator("#btn-nomatch-chat")).ToBeHiddenAsync();
        await b.ShotAsync("40-search-no-match");

        // A username nobody chats with yet: the list offers to start that chat (checked like any new chat).
        var dave = Pair.Unique("dave_");
        await WireClient.LoginAsync(fixture.Server, dave, ChatPage.Password);
        await b.Page.Locator("#search").FillAsync(dave);
        await b.Page.Locator("#btn-nomatch-chat").ClickAsync();
        await Expect(b.Page.Locator("#new-chat-user")).ToHaveValueAsync(dave);
        await b.Page.Locator("#new-chat-user").PressAsync("Enter");
        await Expect(b.Page.Locator("#chat-name")).ToHaveTextAsync(dave);
    }

    [Fact]
    public async Task A_deleted_chat_leaves_this_browser_until_a_new_message_and_other_devices_keep_it()
    {
        await using var two = await PageAndWire.StartAsync(fixture, output);
        var (b, c, bob, carol) = (two.Bob, two.Carol, two.Bob.User, two.CarolName);
        await SendAsync(c, bob, "First, before the deletion");
        await SendAsync(c, bob, "Second, before the deletion");
        await Expect(b.ChatItem(carol).Locator(".badge")).ToHaveTextAsync("2");

        await b.ChatItem(carol).HoverAsync();
        await b.Page.Locator(".chat-row", new() { Has = b.ChatItem(carol) }).Locator(".chat-menu-btn").ClickAsync();
        await b.Page.GetByRole(Microsoft.Playwright.AriaRole.Menuitem, new() { Name = "Delete chat" }).ClickAsync();
        await Expect(b.Page.Locator("#confirm-text")).ToContainTextAsync("removed from this browser only");
        await b.ShotAsync("41-delete-chat-confirm");
        await b.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(b.ChatItem(carol)).ToHaveCountAsync(0);
        await Expect(b.Page).ToHaveTitleAsync("Parley");

        // Deleted here it stays deleted after a reload; what was unread in it counts as read.
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await Expect(b.Page.Locator(".chat-item")).ToHaveCountAsync(0);

        // Another device of bob's still has the chat, every message of it.
        await using var other = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await other.LogInAsync();
        await other.OpenChatAsync(carol);
        await Expect(other.Bubbles).ToHaveCountAsync(2);

        // A new message brings the chat back here, with only what came after the deletion.
        await SendAsync(c, bob, "Third, after the deletion");
        await Expect(b.ChatItem(carol).Locator(".badge")).ToHaveTextAsync("1");
        await b.OpenChatAsync(carol);
        await Expect(b.Bubble("Third, after the deletion")).ToHaveCountAsync(1);
        await Expect(b.Bubbles).ToHaveCountAsync(1);
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await b.OpenChatAsync(carol);
        await Expect(b.Bubble("Third, after the deletion")).ToHaveCountAsync(1);
        await Expect(b.Bubbles).ToHaveCountAsync(1);
    }
}
