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
}
