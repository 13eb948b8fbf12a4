using System.Text.Json;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// v1.1 replies in the web client: the quoted message above the reply, a click on it goes to the original (loading older
/// history when needed, or saying it is gone), replying from the menu or by swiping on a touch screen.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReplyTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static async Task<long> SendAsync(WireClient from, string to, string text, long? replyTo = null)
    {
        var frame = new Dictionary<string, object?> { ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), ["to"] = to, ["body"] = text };
        if (replyTo is { } n) frame["replyTo"] = n;
        var ok = await from.RequestAsync(frame);
        Assert.Equal("ok", ok.GetProperty("type").GetString());
        return ok.GetProperty("n").GetInt64();
    }

    [Fact]
    public async Task A_quote_of_a_message_older_than_the_loaded_history_loads_it_and_a_click_goes_to_it_and_highlights_it()
    {
        await using var two = await PageAndWire.StartAsync(fixture, output);
        var (b, c, bob, carol) = (two.Bob, two.Carol, two.Bob.User, two.CarolName);
        var tent = await SendAsync(c, bob, "Who is bringing the tent?");
        for (var i = 1; i <= 60; i++) await SendAsync(c, bob, $"Packing list item {i}");
        var reply = await SendAsync(c, bob, "I can bring it myself", tent);
        // A reply whose original was deleted before bob ever loaded it.
        var oops = await SendAsync(c, bob, "Meet at the old bridge");
        await SendAsync(c, bob, "Forget the bridge", oops);
        Assert.Equal("ok", (await c.RequestAsync(new() { ["type"] = "delete", ["conv"] = $"d:{string.Join(':', new[] { bob, carol }.Order(StringComparer.Ordinal))}", ["n"] = oops })).GetProperty("type").GetString());

        // A fresh page (a reload) has only what history gives: the last page of the chat, not what came live above.
        // (Once the live page has had the last of it: events it never processed are replayed to the next page.)
        await Expect(b.ChatItem(carol).Locator(".chat-item-last")).ToContainTextAsync("Forget the bridge");
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await b.OpenChatAsync(carol);
        var quote = b.Row(reply).Locator(".quote");
        // The original is 60 messages back, beyond the first page of history: the quote fetched it alone.
        await Expect(quote.Locator(".quote-text")).ToHaveTextAsync("Who is bringing the tent?");
        await Expect(quote.Locator(".quote-from")).ToHaveTextAsync(carol);
        await Expect(b.Row(tent)).ToHaveCountAsync(0);
        await Expect(b.Bubble("Forget the bridge").Locator(".quote-text")).ToHaveTextAsync("This message is not available");
        await b.ShotAsync("70-reply-quotes-desktop");

        await quote.ClickAsync();
        await Expect(b.Row(tent)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bflash\b"));
        await Expect(b.Row(tent)).ToBeInViewportAsync();
        await Expect(b.Row(tent).Locator(".text")).ToHaveTextAsync("Who is bringing the tent?");
        await b.ShotAsync("71-reply-original-highlighted");
        // The highlight fades.
        await Expect(b.Row(tent)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bflash\b"));

        // A quote of a message that is gone says so when clicked.
        await b.Bubble("Forget the bridge").Locator(".quote").ClickAsync();
        await Expect(b.Page.Locator("#toast")).ToHaveTextAsync("That message is no longer in this chat.");
    }

    [Fact]
    public async Task A_reply_from_the_menu_carries_replyTo_and_shows_the_quote_to_both_sides()
    {
        await using var two = await PageAndWire.StartAsync(fixture, output);
        var (b, c, bob, carol) = (two.Bob, two.Carol, two.Bob.User, two.CarolName);
        var question = await SendAsync(c, bob, "Are we still on for Saturday?");
        await SendAsync(c, bob, "Let me know soon");
        await b.OpenChatAsync(carol);

        await b.OpenMessageMenuAsync(b.Row(question));
        await b.MenuItem("Reply").ClickAsync();
        await Expect(b.Page.Locator("#compose-bar")).ToBeVisibleAsync();
        await Expect(b.Page.Locator("#compose-title")).ToHaveTextAsync($"Replying to {carol}");
        await Expect(b.Page.Locator("#compose-text")).ToHaveTextAsync("Are we still on for Saturday?");
        await Expect(b.Page.Locator("#input")).ToBeFocusedAsync();
        await b.Page.Locator("#input").FillAsync("Yes, 10 o'clock");
        await b.ShotAsync("72-replying-desktop");
        await b.Page.Locator("#input").PressAsync("Enter");

        await Expect(b.Page.Locator("#compose-bar")).ToBeHiddenAsync();
        var mine = b.Bubble("Yes, 10 o'clock");
        await Expect(mine.Locator(".quote-from")).ToHaveTextAsync(carol);
        await Expect(mine.Locator(".quote-text")).ToHaveTextAsync("Are we still on for Saturday?");
        var message = await c.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("body").ValueKind == JsonValueKind.String
            && f.GetProperty("body").GetString() == "Yes, 10 o'clock").Within();
        Assert.Equal(question, message.GetProperty("replyTo").GetInt64());

        // Escape takes a reply back before it is sent: the next message quotes nothing.
        await b.OpenMessageMenuAsync(b.Row(question));
        await b.MenuItem("Reply").ClickAsync();
        await Expect(b.Page.Locator("#compose-bar")).ToBeVisibleAsync();
        await b.Page.Locator("#input").PressAsync("Escape");
        await Expect(b.Page.Locator("#compose-bar")).ToBeHiddenAsync();
        await b.SendAsync("And bring snacks");
        await Expect(b.Bubble("And bring snacks").Locator(".quote")).ToHaveCountAsync(0);
        var plain = await c.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("body").ValueKind == JsonValueKind.String
            && f.GetProperty("body").GetString() == "And bring snacks").Within();
        Assert.False(plain.TryGetProperty("replyTo", out _));
    }

    [Fact]
    public async Task On_a_phone_a_message_swiped_to_the_right_is_replied_to()
    {
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await using var wire = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password));
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output, ChatPage.Phone, touch: true);
        await a.SignUpAsync();
        var lunch = await SendAsync(wire, alice, "Lunch at noon? There is a new place by the harbour that does fish soup");
        await a.OpenChatAsync(bob);
        var row = a.Row(lunch);
        await Expect(row).ToBeVisibleAsync();

        // A real touch drag (Chromium's touch input, not synthetic events): 90 px to the right, in steps.
        var box = (await row.Locator(".bubble").BoundingBoxAsync())!;
        var (x, y) = (box.X + 20, box.Y + (box.Height / 2));
        var cdp = await a.Context.NewCDPSessionAsync(a.Page);
        async Task TouchAsync(string type, double at) => await cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = at, ["y"] = y } },
        });
        await TouchAsync("touchStart", x);
        for (var dx = 10; dx <= 90; dx += 10) await TouchAsync("touchMove", x + dx);
        await TouchAsync("touchEnd", x + 90);

        await Expect(a.Page.Locator("#compose-bar")).ToBeVisibleAsync();
        await Expect(a.Page.Locator("#compose-title")).ToHaveTextAsync($"Replying to {bob}");
        await a.Page.Locator("#input").FillAsync("Yes! See you there");
        await a.ShotAsync("73-replying-phone");
        await a.Page.Locator("#input").PressAsync("Enter");
        var mine = a.Bubble("Yes! See you there");
        await Expect(mine.Locator(".quote-text")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Lunch at noon\\?"));
        await Expect(mine.Locator(".tick")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|delivered|read"));
        var message = await wire.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("body").ValueKind == JsonValueKind.String
            && f.GetProperty("body").GetString() == "Yes! See you there").Within();
        Assert.Equal(lunch, message.GetProperty("replyTo").GetInt64());
        // The quote fits the phone: cut with an ellipsis inside the bubble, never wider than it.
        var fits = await mine.EvaluateAsync<bool>("row => { const b = row.querySelector('.bubble').getBoundingClientRect(); const q = row.querySelector('.quote').getBoundingClientRect(); return q.left >= b.left && q.right <= b.right + 0.5 && b.right <= window.innerWidth; }");
        Assert.True(fits);
        await a.ShotAsync("74-reply-sent-phone");
    }
}
