using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// v1.1 edits in the web client: one's own messages, within the edit window, from the message's menu; an "Edited" label;
/// the new text arrives live on the peer's page and on the sender's other device, and stays after a reload.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class EditTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly Regex Edited = new("^Edited");

    [Fact]
    public async Task An_own_message_edited_from_its_menu_changes_live_for_the_peer_and_the_senders_other_device()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        // Alice's second device: another browser, logged in to the same account.
        await using var a2 = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a2.LogInAsync();
        await a.StartChatAsync(bob);
        await a.SendAsync("See you at 7 at the cinema");
        await b.OpenChatAsync(alice);
        await a2.OpenChatAsync(bob);
        await Expect(b.Bubble("See you at 7 at the cinema")).ToHaveCountAsync(1);
        await b.SendAsync("Great");

        // Bob may reply to alice's message, not edit it.
        await b.OpenMessageMenuAsync(b.Bubble("See you at 7 at the cinema"));
        await Expect(b.MenuItem("Reply")).ToBeVisibleAsync();
        await Expect(b.MenuItem("Edit")).ToHaveCountAsync(0);
        await b.Page.Keyboard.PressAsync("Escape");

        // What alice had started typing is kept while she edits, and comes back afterwards.
        await a.Page.Locator("#input").FillAsync("half a thought");
        await a.OpenMessageMenuAsync(a.Bubble("See you at 7 at the cinema"));
        await a.MenuItem("Edit").ClickAsync();
        await Expect(a.Page.Locator("#compose-title")).ToHaveTextAsync("Edit message");
        await Expect(a.Page.Locator("#input")).ToHaveValueAsync("See you at 7 at the cinema");
        await a.Page.Locator("#input").FillAsync("See you at 8 at the cinema");
        await a.ShotAsync("79-editing-desktop");
        await a.Page.Locator("#input").PressAsync("Enter");

        var mine = a.Bubble("See you at 8 at the cinema");
        await Expect(mine.Locator(".meta .edited")).ToHaveTextAsync(Edited);
        await Expect(a.Bubble("See you at 7")).ToHaveCountAsync(0);
        await Expect(a.Page.Locator("#compose-bar")).ToBeHiddenAsync();
        await Expect(a.Page.Locator("#input")).ToHaveValueAsync("half a thought");
        foreach (var other in new[] { b, a2 })
        {
            await Expect(other.Bubble("See you at 8 at the cinema").Locator(".meta .edited")).ToHaveTextAsync(Edited);
            await Expect(other.Bubble("See you at 7")).ToHaveCountAsync(0);
        }
        await b.ShotAsync("80-edited-on-peer");

        // After a reload, history gives the latest body and its editedAt.
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await b.OpenChatAsync(alice);
        await Expect(b.Bubble("See you at 8 at the cinema").Locator(".meta .edited")).ToHaveTextAsync(Edited);
        await Expect(b.Bubbles).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Past_the_edit_window_the_menu_offers_no_edit()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, bob) = (pair.Alice, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.SendAsync("Sent a while ago");
        await Expect(a.Tick("Sent a while ago")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        await a.OpenMessageMenuAsync(a.Bubble("Sent a while ago"));
        await Expect(a.MenuItem("Edit")).ToBeVisibleAsync();
        await a.Page.Keyboard.PressAsync("Escape");

        // Sixteen minutes later by the page's clock (the server's window is the documented 15 minutes).
        await a.Page.Clock.SetFixedTimeAsync(DateTime.Now.AddMinutes(16));
        await a.OpenMessageMenuAsync(a.Bubble("Sent a while ago"));
        await Expect(a.MenuItem("Reply")).ToBeVisibleAsync();
        await Expect(a.MenuItem("Delete for everyone")).ToBeVisibleAsync();
        await Expect(a.MenuItem("Edit")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_edit_the_server_refuses_keeps_the_new_text_in_the_box_and_says_why()
    {
        // A server whose edit window is over at once: every edit is refused as too late.
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Messages:EditWindow=00:00:00.001"]);
        await using var pair = await Pair.StartAsync(fixture.Browser, server, output);
        var (a, bob) = (pair.Alice, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.SendAsync("Too late to fix");
        await Expect(a.Tick("Too late to fix")).ToHaveAttributeAsync("data-status", new Regex("sent|delivered|read"));
        await a.OpenMessageMenuAsync(a.Bubble("Too late to fix"));
        await a.MenuItem("Edit").ClickAsync();
        await a.Page.Locator("#input").FillAsync("Too late to fix, really");
        await a.Page.Locator("#input").PressAsync("Enter");

        await Expect(a.Page.Locator("#toast")).ToHaveTextAsync("This message can no longer be edited.");
        await Expect(a.Page.Locator("#input")).ToHaveValueAsync("Too late to fix, really");
        await Expect(a.Page.Locator("#compose-bar")).ToBeVisibleAsync();
        await Expect(a.Bubble("Too late to fix").Locator(".text")).ToHaveTextAsync("Too late to fix");
        await Expect(a.Bubble("Too late to fix").Locator(".edited")).ToHaveCountAsync(0);
    }
}
