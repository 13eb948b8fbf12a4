using System.Text.RegularExpressions;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Disappearing messages (the setting, the timer icon, the message vanishing) and delete for everyone.</summary>
[Collection(BrowserTests.Name)]
public sealed class RetentionTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static string Direct(string x, string y) => string.CompareOrdinal(x, y) < 0 ? $"d:{x}:{y}" : $"d:{y}:{x}";

    [Fact]
    public async Task A_disappearing_message_vanishes_on_both_sides_at_its_expiry()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.SendAsync("This one stays");
        await b.OpenChatAsync(alice);

        // The setting from the chat header: 24 hours, shown by the timer icon and a note on both sides.
        await a.Page.Locator("#btn-timer").ClickAsync();
        await a.Page.GetByLabel("24 hours").CheckAsync();
        await a.ShotAsync("17-timer-dialog");
        await a.Page.Locator("#form-timer button.primary").ClickAsync();
        await Expect(a.Page.Locator("#btn-timer")).ToHaveClassAsync(new Regex(@"\bactive\b"));
        await Expect(b.Page.Locator("#messages .note").Last).ToContainTextAsync("24 hours");

        // The menu offers only 24 h, 7 d and 90 d; a test cannot wait that long, so alice's second device
        // sets 6 seconds over the protocol. Both browsers learn it from the `settings` event.
        await using (var phone = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, alice, ChatPage.Password, register: false)))
        {
            var set = await phone.RequestAsync(new() { ["type"] = "retention", ["conv"] = Direct(alice, bob), ["ttl"] = 6 });
            Assert.Equal("ok", set.GetProperty("type").GetString());
        }
        await Expect(a.Page.Locator("#messages .note").Last).ToContainTextAsync("6 seconds");
        await Expect(b.Page.Locator("#messages .note").Last).ToContainTextAsync("6 seconds");

        await a.SendAsync("This one will vanish");
        await Expect(a.Bubble("This one will vanish").Locator(".timer-icon")).ToBeVisibleAsync();
        await Expect(b.Bubble("This one will vanish").Locator(".timer-icon")).ToBeVisibleAsync();
        await Expect(b.Bubble("This one stays").Locator(".timer-icon")).ToHaveCountAsync(0);
        await b.ShotAsync("18-disappearing");

        await Expect(a.Bubble("This one will vanish")).ToHaveCountAsync(0);
        await Expect(b.Bubble("This one will vanish")).ToHaveCountAsync(0);
        await Expect(b.Bubble("This one stays")).ToHaveCountAsync(1);

        // Gone from the server's history too: a reload does not bring it back.
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await b.OpenChatAsync(alice);
        await Expect(b.Bubble("This one stays")).ToHaveCountAsync(1);
        await Expect(b.Bubble("This one will vanish")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Delete_for_everyone_replaces_the_message_on_both_sides()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.SendAsync("Oops, wrong chat");
        await b.OpenChatAsync(alice);
        await Expect(b.Bubble("Oops, wrong chat")).ToHaveCountAsync(1);

        await a.Bubble("Oops, wrong chat").HoverAsync();
        await a.Bubble("Oops, wrong chat").Locator(".msg-menu").ClickAsync();
        await a.Page.GetByRole(Microsoft.Playwright.AriaRole.Menuitem, new() { Name = "Delete for everyone" }).ClickAsync();
        await a.Page.Locator("#confirm-ok").ClickAsync();

        await Expect(a.Bubble("You deleted this message")).ToHaveCountAsync(1);
        await Expect(b.Bubble("This message was deleted")).ToHaveCountAsync(1);
        await Expect(b.Bubble("Oops, wrong chat")).ToHaveCountAsync(0);
        await Expect(b.ChatItem(alice).Locator(".chat-item-last")).ToHaveTextAsync("This message was deleted");
        await b.ShotAsync("19-deleted");
    }
}
