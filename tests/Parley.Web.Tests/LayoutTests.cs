using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>What the screen looks like, measured: nothing covers a name or a message, nothing overflows, colours read.</summary>
[Collection(BrowserTests.Name)]
public sealed class LayoutTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// For each member row: whether its name is shown whole or cut with an ellipsis (never running under something),
    /// whether any point of the visible name is covered, and whether every button's label stays on one line.
    /// </summary>
    private const string MemberRowProblems = """
        () => [...document.querySelectorAll('#info-members li')].flatMap((li) => {
          const problems = [];
          const name = li.querySelector('.who strong');
          const box = name.getBoundingClientRect();
          const range = document.createRange();
          range.selectNodeContents(name);
          const text = range.getBoundingClientRect();
          const style = getComputedStyle(name);
          const cut = style.overflow === 'hidden' && style.textOverflow === 'ellipsis';
          if (text.right > box.right + 1 && !cut) problems.push(`${li.dataset.member}: the name runs out of its box`);
          const right = Math.min(text.right, box.right) - 2;
          for (const x of [box.left + 2, (box.left + right) / 2, right]) {
            const hit = document.elementFromPoint(x, (box.top + box.bottom) / 2);
            if (!name.contains(hit)) problems.push(`${li.dataset.member}: the name is covered at x=${Math.round(x)} by ${hit?.className || hit?.tagName}`);
          }
          for (const badge of li.querySelectorAll('.admin-badge')) {
            const r = badge.getBoundingClientRect();
            const row = badge.parentElement.getBoundingClientRect();
            if (r.width === 0 || r.right > row.right + 1 || r.right > li.getBoundingClientRect().right) problems.push(`${li.dataset.member}: the admin badge is cut off`);
          }
          for (const b of li.querySelectorAll('button')) {
            const lh = parseFloat(getComputedStyle(b).lineHeight) || parseFloat(getComputedStyle(b).fontSize) * 1.4;
            const r = document.createRange(); r.selectNodeContents(b);
            if (b.textContent.trim() && r.getClientRects().length > 1) problems.push(`${li.dataset.member}: "${b.textContent}" wraps`);
          }
          return problems;
        })
        """;

    private const string MenuItemsWrap = """
        () => [...document.querySelectorAll('.menu-pop button')].filter((b) => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length > 1; }).map((b) => b.textContent)
        """;

    [Fact]
    public async Task Member_names_are_never_covered_and_member_actions_never_wrap_on_desktop_or_phone()
    {
        var (alice, bob, carol) = (Pair.Unique("alice_"), Pair.Unique("bob_"), Pair.Unique("carol_"));
        // The longest username there can be, made an admin: the row with the most to fit.
        var longest = ("longname_" + Guid.NewGuid().ToString("N"))[..32];
        await WireClient.LoginAsync(fixture.Server, longest, ChatPage.Password);
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        await using var c = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync();
        var created = await c.RequestAsync(new() { ["type"] = "group.create", ["name"] = "Layout check", ["members"] = new[] { carol, alice, bob, longest } });
        var conv = created.GetProperty("conv").GetString()!;
        foreach (var admin in new[] { longest, alice })
            Assert.Equal("ok", (await c.RequestAsync(new() { ["type"] = "group.admin", ["conv"] = conv, ["member"] = admin, ["admin"] = true })).GetProperty("type").GetString());
        await a.OpenChatAsync("Layout check");
        await a.Page.Locator("#chat-title").ClickAsync();
        await Expect(a.Page.Locator($"#info-members li[data-member='{longest}'] .admin-badge")).ToBeVisibleAsync();

        foreach (var (size, shot) in new[] { (ChatPage.Desktop, "33-group-info-desktop"), (ChatPage.Phone, "34-group-info-phone") })
        {
            await a.Page.SetViewportSizeAsync(size.Width, size.Height);
            await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(4);
            Assert.Empty(await a.Page.EvaluateAsync<string[]>(MemberRowProblems));
            // The actions are in a menu per member, each on one line.
            await a.Page.Locator($"#info-members li[data-member='{longest}'] .member-menu-btn").ClickAsync();
            await Expect(a.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Dismiss as admin" })).ToBeVisibleAsync();
            Assert.Empty(await a.Page.EvaluateAsync<string[]>(MenuItemsWrap));
            await a.ShotAsync(shot);
            await a.Page.Keyboard.PressAsync("Escape");
            await Expect(a.Page.Locator(".menu-pop")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task On_a_phone_a_photo_fits_its_bubble_the_timer_shows_on_the_bar_and_the_viewer_hides_the_chat()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
        await a.StartChatAsync(bob);
        await a.Page.Locator("#btn-timer").ClickAsync();
        await a.Page.Locator("#form-timer input[value='86400']").CheckAsync();
        await a.Page.Locator("#form-timer button[value='ok']").ClickAsync();
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = Pictures.Sunset() });
        await a.Page.Locator("#media-caption").FillAsync("Sunset, seen on a phone");
        await a.Page.Locator("#btn-media-send").ClickAsync();
        await Expect(a.Tick("seen on a phone")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|delivered|read"));

        await b.Page.SetViewportSizeAsync(ChatPage.Phone.Width, ChatPage.Phone.Height);
        await b.OpenChatAsync(alice);
        var media = b.Bubble("seen on a phone").Locator(".media");
        await Expect(media.Locator("img")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        var fits = await b.Page.EvaluateAsync<string>("""
            () => {
              const media = [...document.querySelectorAll('#messages .media')].at(-1).getBoundingClientRect();
              const bubble = [...document.querySelectorAll('#messages .media')].at(-1).closest('.bubble').getBoundingClientRect();
              const list = document.getElementById('messages').getBoundingClientRect();
              if (media.right > bubble.right + 0.5 || media.left < bubble.left - 0.5) return `the photo (${media.left}-${media.right}) leaves its bubble (${bubble.left}-${bubble.right})`;
              if (bubble.right > list.right + 0.5) return `the bubble (right ${bubble.right}) leaves the screen (${list.right})`;
              return '';
            }
            """);
        Assert.Equal("", fits);

        // The disappearing-messages button on the phone's coloured bar: on, and visible (3:1 for a control).
        await Expect(b.Page.Locator("#btn-timer")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        await b.Page.EvaluateAsync(PageMeasures.DefineContrast);
        var timer = await b.Page.EvaluateAsync<double>("() => window.__ratio(getComputedStyle(document.getElementById('btn-timer')).color, getComputedStyle(document.querySelector('.chat-bar')).backgroundColor)");
        Assert.True(timer >= 3, $"the timer icon's contrast on the bar is {timer:0.00}:1");
        await b.ShotAsync("35-photo-and-timer-phone");

        // The viewer covers the chat entirely: nothing shows through, under the caption or anywhere.
        await media.ClickAsync();
        await Expect(b.Page.Locator("#viewer-body img")).ToBeVisibleAsync();
        var background = await b.Page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('viewer')).backgroundColor");
        Assert.Matches(@"^rgb\(", background);
        await b.ShotAsync("36-viewer-phone");
    }

    [Fact]
    public async Task Once_scrolling_stops_no_date_label_covers_a_message()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (b, bob, carol) = (pair.Bob, pair.Bob.User, Pair.Unique("carol_"));
        await using var c = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));
        for (var i = 1; i <= 40; i++) await Accounts.SendAsync(c, bob, $"Line {i} of a long conversation that needs scrolling");
        await b.OpenChatAsync(carol);
        await Expect(b.Bubbles).ToHaveCountAsync(40);

        await b.Page.EvaluateAsync("() => { const m = document.getElementById('messages'); m.scrollTop = m.scrollHeight / 2; }");
        await b.Page.WaitForFunctionAsync("() => !document.querySelector('.day-float.shown')");
        var covered = await b.Page.EvaluateAsync<string[]>("""
            () => {
              const view = document.getElementById('messages').getBoundingClientRect();
              const labels = [...document.querySelectorAll('#messages .day span, .day-float.shown span')].map((e) => e.getBoundingClientRect())
                .filter((r) => r.bottom > view.top && r.top < view.bottom);
              return [...document.querySelectorAll('#messages .bubble')].filter((el) => {
                const r = el.getBoundingClientRect();
                return labels.some((l) => l.left < r.right && l.right > r.left && l.top < r.bottom && l.bottom > r.top);
              }).map((el) => el.textContent);
            }
            """);
        Assert.Empty(covered);
        await b.ShotAsync("37-scrolled-middle");
    }

    [Fact]
    public async Task Sender_names_and_text_meet_WCAG_AA_contrast_in_light_and_dark_mode()
    {
        var bob = Pair.Unique("bob_");
        var senders = new[] { Pair.Unique("dave_"), Pair.Unique("erin_"), Pair.Unique("frank_"), Pair.Unique("gina_") };
        var clients = new List<WireClient>();
        try
        {
            foreach (var s in senders) clients.Add(await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, s, ChatPage.Password)));
            await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
            await b.SignUpAsync();
            var created = await clients[0].RequestAsync(new() { ["type"] = "group.create", ["name"] = "Colours", ["members"] = senders.Append(bob).ToArray() });
            var conv = created.GetProperty("conv").GetString()!;
            for (var i = 0; i < senders.Length; i++) await Accounts.SendAsync(clients[i], conv, $"Hello from {senders[i]}, see https://example.org/page");
            await b.OpenChatAsync("Colours");
            await Expect(b.Page.Locator("#messages .sender")).ToHaveCountAsync(4);

            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await b.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await b.Page.EvaluateAsync(PageMeasures.DefineContrast);
                var ratios = await b.Page.EvaluateAsync<double[]>("""
                    () => [...document.querySelectorAll('#messages .msg:not(.own) .bubble')].flatMap((bubble) =>
                      [bubble.querySelector('.sender'), bubble.querySelector('.text'), bubble.querySelector('.meta')].map((el) => window.__contrast(el, bubble)))
                    """);
                Assert.Equal(12, ratios.Length);
                Assert.All(ratios, r => Assert.True(r >= 4.5, $"{scheme}: a contrast of {r:0.00}:1 among {string.Join(", ", ratios.Select(x => x.ToString("0.00")))}"));
                // Links in a message read as well as its text.
                var links = await b.Page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('#messages .bubble .text a')].map((a) => window.__contrast(a, a.closest('.bubble')))");
                Assert.Equal(4, links.Length);
                Assert.All(links, r => Assert.True(r >= 4.5, $"{scheme}: a link's contrast is {r:0.00}:1"));
                var page = await b.Page.EvaluateAsync<double>("() => window.__luminance(getComputedStyle(document.querySelector('.messages')).backgroundColor)");
                if (scheme == ColorScheme.Dark) Assert.True(page < 0.05, $"dark mode's chat background has luminance {page:0.000}");
                else Assert.True(page > 0.6, $"light mode's chat background has luminance {page:0.000}");
                await b.ShotAsync($"38-colours-{scheme.ToString().ToLowerInvariant()}");
            }
            await b.Page.SetViewportSizeAsync(ChatPage.Phone.Width, ChatPage.Phone.Height);
            await b.ShotAsync("39-colours-dark-phone");
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
