using System.Text.RegularExpressions;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// v1.1 group invite links in the web client: an admin makes, copies and revokes the link in the group's info; opening
/// <c>/#join/&lt;code&gt;</c> joins after signing in (also when signed out first), and a revoked link says so.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class InviteTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_admin_makes_and_copies_a_link_that_joins_after_signing_up_and_a_revoked_link_says_so()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, bob, carol, dave) = (pair.Alice, pair.Bob, pair.Bob.User, Pair.Unique("carol_"), Pair.Unique("dave_"));
        await a.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await a.Page.Locator("#btn-new-group").ClickAsync();
        await a.Page.Locator("#new-group-name").FillAsync("Book club");
        await a.Page.Locator("#new-group-members").FillAsync(bob);
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#chat-name")).ToHaveTextAsync("Book club");

        // A member who is not an admin sees no invite link.
        await b.OpenChatAsync("Book club");
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-members li")).ToHaveCountAsync(2);
        await Expect(b.Page.Locator("#info-invite")).ToBeHiddenAsync();

        await a.Page.Locator("#chat-title").ClickAsync();
        await a.Page.Locator("#btn-invite").ClickAsync();
        var link = a.Page.Locator("#invite-link");
        await Expect(link).ToHaveValueAsync(new Regex(@"/#join/[A-Za-z0-9_-]{16,}$"));
        var url = await link.InputValueAsync();
        await a.Page.Locator("#btn-invite-copy").ClickAsync();
        await Expect(a.Page.Locator("#toast")).ToHaveTextAsync("Link copied.");
        Assert.Equal(url, await a.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await a.ShotAsync("84-invite-link");

        // Carol opens the link signed out: the sign-in screen says why; after signing up she is in the group.
        await using var c = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, carol, output, path: new Uri(url).PathAndQuery + new Uri(url).Fragment);
        await Expect(c.Page.Locator("#auth-join")).ToBeVisibleAsync();
        await c.ShotAsync("85-invite-signed-out");
        await c.SignUpAsync();
        await Expect(c.Page.Locator("#chat-name")).ToHaveTextAsync("Book club");
        await Expect(c.Page.Locator("#messages .note").Last).ToHaveTextAsync("You joined using this group's invite link");
        Assert.Equal("", await c.Page.EvaluateAsync<string>("() => location.hash"));
        await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(3);
        await c.SendAsync("Thanks for the invite!");
        await a.Page.Keyboard.PressAsync("Escape");
        await Expect(a.Bubble("Thanks for the invite!")).ToHaveCountAsync(1);
        await Expect(a.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{carol} joined using this group's invite link");
        await c.ShotAsync("86-joined-by-link");

        // Revoked (after a confirm), the link stops working: dave, signed in, opens it and is told.
        await a.Page.Locator("#chat-title").ClickAsync();
        await Expect(link).ToHaveValueAsync(url);
        await a.Page.Locator("#btn-invite-revoke").ClickAsync();
        await a.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(a.Page.Locator("#invite-box")).ToBeHiddenAsync();
        await Expect(a.Page.Locator("#btn-invite")).ToBeVisibleAsync();
        await using var d = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, dave, output);
        await d.SignUpAsync();
        await d.Page.EvaluateAsync("(hash) => { location.hash = hash; }", new Uri(url).Fragment);
        await Expect(d.Page.Locator("#toast")).ToHaveTextAsync("This invite link is not valid: it may have been revoked.");
        await Expect(d.ChatItem("Book club")).ToHaveCountAsync(0);

        // A new link works for someone already signed in, at once.
        await a.Page.Locator("#btn-invite").ClickAsync();
        await Expect(link).Not.ToHaveValueAsync(url);
        var fresh = await link.InputValueAsync();
        await d.Page.EvaluateAsync("(hash) => { location.hash = hash; }", new Uri(fresh).Fragment);
        await Expect(d.Page.Locator("#chat-name")).ToHaveTextAsync("Book club");
        await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(4);
    }
}
