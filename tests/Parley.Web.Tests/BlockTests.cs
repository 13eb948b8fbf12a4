using System.Text.RegularExpressions;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// v1.1 blocking in the web client: from the chat header, after a confirm; the chat then says it is blocked (no
/// composer, "Unblock"); the blocked user's messages never arrive; the block survives a reload; unblocking reopens it.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class BlockTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Blocking_from_the_chat_header_asks_first_shows_the_chat_blocked_and_keeps_the_blocked_users_messages_out()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await b.StartChatAsync(alice);
        await b.SendAsync("Hi alice, got a minute?");
        await a.OpenChatAsync(bob);

        // Cancelling the confirm blocks nobody.
        await a.Page.Locator("#btn-chat-menu").ClickAsync();
        await a.MenuItem($"Block {bob}").ClickAsync();
        await Expect(a.Page.Locator("#confirm-text")).ToContainTextAsync($"Block {bob}?");
        await a.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(a.Page.Locator("#composer")).ToBeVisibleAsync();
        await Expect(a.Page.Locator("#blocked-note")).ToBeHiddenAsync();

        await a.Page.Locator("#btn-chat-menu").ClickAsync();
        await a.MenuItem($"Block {bob}").ClickAsync();
        await a.ShotAsync("81-block-confirm");
        await a.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(a.Page.Locator("#blocked-note")).ToBeVisibleAsync();
        await Expect(a.Page.Locator("#blocked-text")).ToHaveTextAsync($"You blocked {bob}.");
        await Expect(a.Page.Locator("#composer")).ToBeHiddenAsync();
        await Expect(a.Status).ToHaveTextAsync("Blocked");
        await a.ShotAsync("82-chat-blocked-desktop");

        // Bob's send is accepted for him, and never reaches alice: not live, not in her history after a reload.
        await b.SendAsync("Hello? Are you there?");
        await Expect(b.Tick("Hello? Are you there?")).ToHaveAttributeAsync("data-status", "sent");
        await a.Page.ReloadAsync();
        await a.ExpectOnlineAsync();
        await Expect(a.ChatItem(bob).Locator(".chat-item-last")).ToHaveTextAsync("Hi alice, got a minute?");
        await a.OpenChatAsync(bob);
        await Expect(a.Bubbles).ToHaveCountAsync(1);
        await Expect(a.Page.Locator("#blocked-note")).ToBeVisibleAsync();
        await a.Page.SetViewportSizeAsync(ChatPage.Phone.Width, ChatPage.Phone.Height);
        await a.ShotAsync("83-chat-blocked-phone");
        await a.Page.SetViewportSizeAsync(ChatPage.Desktop.Width, ChatPage.Desktop.Height);

        // Unblocking from the note: the composer is back and alice's message reaches bob.
        await a.Page.Locator("#btn-unblock").ClickAsync();
        await Expect(a.Page.Locator("#blocked-note")).ToBeHiddenAsync();
        await Expect(a.Page.Locator("#composer")).ToBeVisibleAsync();
        await a.SendAsync("Sorry, wrong button");
        await Expect(b.Bubble("Sorry, wrong button")).ToHaveCountAsync(1);
        await Expect(a.Tick("Sorry, wrong button")).ToHaveAttributeAsync("data-status", new Regex("delivered|read"));
        // What bob sent while blocked is not delivered later.
        await Expect(a.Bubble("Hello? Are you there?")).ToHaveCountAsync(0);
    }
}
