using System.Text.Json;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// v1.1 reactions in the web client: a small picker from the message's menu, counts under the bubble, who reacted on
/// hover and on a click, and one's own reaction taken back by choosing it again.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReactionTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Reactions_from_the_picker_are_counted_under_the_bubble_name_who_and_ones_own_is_taken_back()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob, carol) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User, Pair.Unique("carol_"));
        await using var c = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));
        var conv = (await c.RequestAsync(new() { ["type"] = "group.create", ["name"] = "Friday night", ["members"] = new[] { carol, alice, bob } })).GetProperty("conv").GetString()!;
        var ok = await c.RequestAsync(new() { ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), ["conv"] = conv, ["body"] = "Pizza tonight?" });
        var n = ok.GetProperty("n").GetInt64();
        await a.OpenChatAsync("Friday night");
        await b.OpenChatAsync("Friday night");

        // Bob reacts from the menu's picker; carol from her client.
        await b.OpenMessageMenuAsync(b.Row(n));
        await b.MenuItem("React").ClickAsync();
        await Expect(b.Page.Locator(".reaction-picker")).ToBeVisibleAsync();
        await b.ShotAsync("75-reaction-picker");
        await b.Page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "React with 👍" }).ClickAsync();
        await Expect(b.Page.Locator(".reaction-picker")).ToHaveCountAsync(0);
        var react = await c.RequestAsync(new() { ["type"] = "react", ["conv"] = conv, ["n"] = n, ["emoji"] = "👍" });
        Assert.Equal("ok", react.GetProperty("type").GetString());

        var thumbs = a.Row(n).Locator(".reaction[data-emoji='👍']");
        await Expect(thumbs.Locator(".count")).ToHaveTextAsync("2");
        await Expect(thumbs).ToHaveAttributeAsync("title", $"{bob}, {carol}");
        await Expect(thumbs).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"));
        await Expect(b.Row(n).Locator(".reaction[data-emoji='👍']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"));
        await a.ShotAsync("76-reactions-desktop");

        // A click on the reactions lists who reacted with what.
        await thumbs.ClickAsync();
        await Expect(a.Page.Locator(".reacted-pop li")).ToHaveCountAsync(2);
        await Expect(a.Page.Locator(".reacted-pop li").Nth(0)).ToContainTextAsync(bob);
        await Expect(a.Page.Locator(".reacted-pop li").Nth(1)).ToContainTextAsync(carol);
        await Expect(a.Page.Locator(".reacted-pop button")).ToHaveCountAsync(0); // none of them is alice's to take back
        await a.Page.Keyboard.PressAsync("Escape");
        await Expect(a.Page.Locator(".reacted-pop")).ToHaveCountAsync(0);

        // Bob changes to a heart: one reaction each, so the thumbs count falls to one.
        await b.OpenMessageMenuAsync(b.Row(n));
        await b.MenuItem("React").ClickAsync();
        await Expect(b.Page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "Remove your 👍" })).ToHaveAttributeAsync("aria-checked", "true");
        await b.Page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "React with ❤️" }).ClickAsync();
        await Expect(a.Row(n).Locator(".reaction")).ToHaveCountAsync(2);
        await Expect(thumbs.Locator(".count")).ToHaveCountAsync(0);
        await Expect(a.Row(n).Locator(".reaction[data-emoji='❤️']")).ToHaveAttributeAsync("title", bob);

        // Bob's own reaction, tapped in the list, is taken back, for everyone.
        await b.Row(n).Locator(".reaction[data-emoji='❤️']").ClickAsync();
        var own = b.Page.Locator(".reacted-pop button");
        await Expect(own).ToContainTextAsync("You");
        await b.ShotAsync("77-who-reacted");
        await own.ClickAsync();
        await Expect(a.Row(n).Locator(".reaction[data-emoji='❤️']")).ToHaveCountAsync(0);
        await Expect(b.Row(n).Locator(".reaction")).ToHaveCountAsync(1);
        var back = await c.NextAsync(f => f.GetProperty("type").GetString() == "reaction" && f.GetProperty("by").GetString() == bob
            && f.GetProperty("emoji").ValueKind == JsonValueKind.Null).Within();
        Assert.Equal(n, back.GetProperty("n").GetInt64());

        // In the picker too: choosing one's current reaction again takes it back.
        await a.OpenMessageMenuAsync(a.Row(n));
        await a.MenuItem("React").ClickAsync();
        await a.Page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "React with 😂" }).ClickAsync();
        await Expect(b.Row(n).Locator(".reaction[data-emoji='😂']")).ToHaveAttributeAsync("title", alice);
        await a.OpenMessageMenuAsync(a.Row(n));
        await a.MenuItem("React").ClickAsync();
        await a.Page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "Remove your 😂" }).ClickAsync();
        await Expect(b.Row(n).Locator(".reaction[data-emoji='😂']")).ToHaveCountAsync(0);
        await Expect(a.Row(n).Locator(".reaction")).ToHaveCountAsync(1);

        // After a reload the reactions come from history, as they are.
        await a.Page.ReloadAsync();
        await a.ExpectOnlineAsync();
        await a.OpenChatAsync("Friday night");
        await Expect(a.Row(n).Locator(".reaction")).ToHaveCountAsync(1);
        await Expect(a.Row(n).Locator(".reaction[data-emoji='👍']")).ToHaveAttributeAsync("title", carol);

        // On a phone the chips sit under the bubble, inside the screen.
        await a.Page.SetViewportSizeAsync(ChatPage.Phone.Width, ChatPage.Phone.Height);
        await c.RequestAsync(new() { ["type"] = "react", ["conv"] = conv, ["n"] = n, ["emoji"] = "🎉" });
        await b.OpenMessageMenuAsync(b.Row(n));
        await b.MenuItem("React").ClickAsync();
        await b.Page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "React with 🙏" }).ClickAsync();
        await Expect(a.Row(n).Locator(".reaction")).ToHaveCountAsync(2);
        var inside = await a.Row(n).EvaluateAsync<bool>("row => { const b = row.querySelector('.bubble').getBoundingClientRect(); return [...row.querySelectorAll('.reaction')].every((r) => { const x = r.getBoundingClientRect(); return x.left >= 0 && x.right <= window.innerWidth && x.top >= b.bottom - 8; }); }");
        Assert.True(inside);
        await a.ShotAsync("78-reactions-phone");
    }
}
