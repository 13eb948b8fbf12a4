using System.Text.Json;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Knowing about new messages while looking elsewhere: the tab's title, and notifications while it is hidden.</summary>
[Collection(BrowserTests.Name)]
public sealed class NotificationTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Runs before the page's scripts: records every notification the page makes and every permission request (the
    /// real API still runs), and lets the test hide and show the tab (a headless page is always visible).
    /// </summary>
    private const string Recorder = """
        (() => {
          window.__notes = [];
          window.__asked = 0;
          window.__hidden = false;
          Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible') });
          Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden });
          const Real = window.Notification;
          class Recorded extends Real {
            constructor(title, options) {
              window.__notes.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
              super(title, options);
            }
            static get permission() { return Real.permission; }
            static requestPermission(...args) { window.__asked++; return Real.requestPermission(...args); }
          }
          window.Notification = Recorded;
        })();
        """;

    private static async Task SetHiddenAsync(ChatPage page, bool hidden) =>
        await page.Page.EvaluateAsync($"() => {{ window.__hidden = {(hidden ? "true" : "false")}; document.dispatchEvent(new Event('visibilitychange')); }}");

    [Fact]
    public async Task The_tab_title_counts_unread_messages()
    {
        var (bob, carol, dave) = (Pair.Unique("bob_"), Pair.Unique("carol_"), Pair.Unique("dave_"));
        await using var c = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));
        await using var d = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, dave, ChatPage.Password));
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.SignUpAsync();
        await Expect(b.Page).ToHaveTitleAsync("Parley");

        await Accounts.SendAsync(c, bob, "One");
        await Accounts.SendAsync(c, bob, "Two");
        await Accounts.SendAsync(d, bob, "Three");
        await Expect(b.Page).ToHaveTitleAsync("(3) Parley");
        await b.OpenChatAsync(carol);
        await Expect(b.Page).ToHaveTitleAsync("(1) Parley");

        // After a reload the count comes from the server's unread counts.
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await Expect(b.Page).ToHaveTitleAsync("(1) Parley");
    }

    [Fact]
    public async Task While_the_tab_is_hidden_new_messages_notify_once_asked_from_the_banner_not_at_load()
    {
        var (bob, carol) = (Pair.Unique("bob_"), Pair.Unique("carol_"));
        await using var c = await WireClient.ConnectAsync(fixture.Server, await Accounts.RegisterAsync(fixture.Server, carol, "Carol Jones"));
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.Page.AddInitScriptAsync(Recorder);
        await b.Page.ReloadAsync();
        await b.SignUpAsync();

        // Asked politely: a banner, and no browser prompt until the user presses "Turn on".
        await Expect(b.Page.Locator("#notify-banner")).ToBeVisibleAsync();
        Assert.Equal(0, await b.Page.EvaluateAsync<int>("() => window.__asked"));
        await b.ShotAsync("47-notify-banner");
        await b.Context.GrantPermissionsAsync(["notifications"]);
        await b.Page.Locator("#btn-notify-on").ClickAsync();
        await Expect(b.Page.Locator("#notify-banner")).ToBeHiddenAsync();
        Assert.Equal(1, await b.Page.EvaluateAsync<int>("() => window.__asked"));

        // Visible: no notification. Hidden: one per chat, its count growing as messages come.
        await Accounts.SendAsync(c, bob, "While you look");
        await Expect(b.ChatItem("Carol Jones")).ToBeVisibleAsync();
        await SetHiddenAsync(b, true);
        await Accounts.SendAsync(c, bob, "While you are away");
        await b.Page.WaitForFunctionAsync("() => window.__notes.length === 1");
        await Accounts.SendAsync(c, bob, "And once more");
        await b.Page.WaitForFunctionAsync("() => window.__notes.length === 2");
        var notes = JsonDocument.Parse(await b.Page.EvaluateAsync<string>("() => JSON.stringify(window.__notes)")).RootElement;
        Assert.Equal("Carol Jones", notes[0].GetProperty("title").GetString());
        Assert.Equal("While you are away", notes[0].GetProperty("body").GetString());
        Assert.Equal($"d:{string.Join(':', new[] { bob, carol }.Order(StringComparer.Ordinal))}", notes[0].GetProperty("tag").GetString());
        Assert.Equal("And once more\n(2 new messages)", notes[1].GetProperty("body").GetString());
        await Expect(b.Page).ToHaveTitleAsync("(3) Parley");

        // Back in the tab: nothing more is notified.
        await SetHiddenAsync(b, false);
        await Accounts.SendAsync(c, bob, "Welcome back");
        await Expect(b.ChatItem("Carol Jones").Locator(".badge")).ToHaveTextAsync("4");
        Assert.Equal(2, await b.Page.EvaluateAsync<int>("() => window.__notes.length"));
    }
}
