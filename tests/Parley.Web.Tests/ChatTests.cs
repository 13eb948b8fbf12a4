using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Two people in two browser contexts: a chat with ticks, presence and typing changing live.</summary>
[Collection(BrowserTests.Name)]
public sealed class ChatTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Ticks_go_from_stored_to_delivered_to_read_while_both_watch()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        // Bob exists but has no browser open yet, so alice's message can only be stored: one tick.
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.ShotAsync("01-sign-in-desktop");
        await a.SignUpAsync();
        await a.StartChatAsync(bob);
        await a.SendAsync("Hi Bob! Are you there?");
        await Expect(a.Tick("Hi Bob!")).ToHaveAttributeAsync("data-status", "sent");
        await a.ShotAsync("02-single-tick");

        // Bob logs in: his client receives and acks the message, so alice sees two grey ticks, live.
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.LogInAsync();
        await Expect(a.Tick("Hi Bob!")).ToHaveAttributeAsync("data-status", "delivered");
        await Expect(b.ChatItem(alice).Locator(".badge")).ToHaveTextAsync("1");
        await Expect(b.ChatItem(alice).Locator(".chat-item-last")).ToContainTextAsync("Hi Bob!");
        await b.ShotAsync("03-chat-list-unread");
        await Expect(a.Status).ToHaveTextAsync("online");

        // Bob opens the chat: it is read, and alice's ticks turn blue.
        await b.OpenChatAsync(alice);
        await Expect(b.Bubble("Hi Bob!")).ToHaveCountAsync(1);
        await Expect(a.Tick("Hi Bob!")).ToHaveAttributeAsync("data-status", "read");
        await Expect(b.ChatItem(alice).Locator(".badge")).ToBeHiddenAsync();

        // Typing shows in alice's header while bob composes; his reply arrives on her side.
        await b.Page.Locator("#input").PressSequentiallyAsync("Yes, here");
        await Expect(a.Status).ToHaveTextAsync("typing…");
        await a.ShotAsync("04-typing");
        await b.Page.Locator("#input").PressAsync("Enter");
        await Expect(a.Bubble("Yes, here")).ToHaveCountAsync(1);
        await Expect(a.Status).ToHaveTextAsync("online");
        await Expect(b.Tick("Yes, here")).ToHaveAttributeAsync("data-status", "read");
        await a.SendAsync("Great. Lunch at 1?");
        await Expect(b.Bubble("Lunch at 1?")).ToHaveCountAsync(1);
        await Expect(a.Tick("Lunch at 1?")).ToHaveAttributeAsync("data-status", "read");
        await a.ShotAsync("05-chat-desktop");
        await b.ShotAsync("06-chat-desktop-bob");

        // Own messages are on the right, the other's on the left.
        await Expect(a.Bubble("Hi Bob!")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"));
        await Expect(a.Bubble("Yes, here")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"));

        // The same chat on a phone-sized screen; Escape goes back to the list there.
        await b.Page.SetViewportSizeAsync(ChatPage.Phone.Width, ChatPage.Phone.Height);
        await b.ShotAsync("07-chat-phone");
        await b.Page.Locator("#messages").FocusAsync();
        await b.Page.Keyboard.PressAsync("Escape");
        await Expect(b.ChatItem(alice)).ToBeVisibleAsync();
        await b.ShotAsync("08-list-phone");

        // After bob goes away, alice's header shows when he was last seen.
        await b.DisposeAsync();
        await Expect(a.Status).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^last seen today at"));

        // A reload shows the same chat from history: nothing lost, nothing twice, ticks still blue.
        await a.Page.ReloadAsync();
        await a.ExpectOnlineAsync();
        await a.OpenChatAsync(bob);
        await Expect(a.Bubbles).ToHaveCountAsync(3);
        await Expect(a.Tick("Lunch at 1?")).ToHaveAttributeAsync("data-status", "read");
        await Expect(a.Page.Locator("#messages .day")).ToHaveTextAsync("Today");
    }

    [Fact]
    public async Task Ticks_of_earlier_messages_stay_as_they_were_after_a_reload()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await using var b = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password));
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync();
        await a.StartChatAsync(bob);
        await a.SendAsync("First, read");
        await a.SendAsync("Second, read");
        var conv = string.CompareOrdinal(alice, bob) < 0 ? $"d:{alice}:{bob}" : $"d:{bob}:{alice}";

        // bob receives and reads both (blue), answers, and goes away; alice sends one more that only gets stored.
        var second = await b.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("n").GetInt64() == 2);
        await b.SendAsync(new { type = "ack", seq = second.GetProperty("seq").GetInt64() });
        await b.SendAsync(new { type = "read", conv, upTo = 2 });
        await Expect(a.Tick("Second, read")).ToHaveAttributeAsync("data-status", "read");
        await Accounts.SendAsync(b, alice, "Answer from bob");
        await Expect(a.Bubble("Answer from bob")).ToHaveCountAsync(1);
        await b.DisposeAsync();
        await a.SendAsync("Third, not yet received");
        await Expect(a.Tick("Third, not yet")).ToHaveAttributeAsync("data-status", "sent");

        // After a reload each tick is what it was: the client knows bob's markers for the whole chat.
        await a.Page.ReloadAsync();
        await a.ExpectOnlineAsync();
        await a.OpenChatAsync(bob);
        await Expect(a.Bubbles).ToHaveCountAsync(4);
        await Expect(a.Tick("First, read")).ToHaveAttributeAsync("data-status", "read");
        await Expect(a.Tick("Second, read")).ToHaveAttributeAsync("data-status", "read");
        await Expect(a.Tick("Third, not yet")).ToHaveAttributeAsync("data-status", "sent");
        await a.ShotAsync("09-ticks-after-reload");
    }

    private const string UnknownMediaStatus = "async () => (await fetch('/v1/media/' + '0'.repeat(64))).status";

    [Fact]
    public async Task Log_out_returns_to_the_sign_in_screen_and_forgets_the_token()
    {
        var alice = Pair.Unique("alice_");
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync();
        // The media worker takes the page once it has the token: an unknown media id is then 404, not 401.
        await a.Page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        Assert.Equal(404, await a.Page.EvaluateAsync<int>(UnknownMediaStatus));
        await a.Page.Locator("#btn-logout").ClickAsync();
        await Expect(a.Page.Locator("#auth")).ToBeVisibleAsync();
        Assert.Null(await a.Page.EvaluateAsync<string?>("() => localStorage.getItem('parley.session')"));
        Assert.Equal(401, await a.Page.EvaluateAsync<int>(UnknownMediaStatus));
        await a.LogInAsync();
    }
}
