using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// The network drops and returns, and the server itself goes away and comes back: the client says so,
/// resumes from its last acked seq, and shows every message exactly once.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ReconnectTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Nothing_is_missing_or_shown_twice_after_the_network_and_the_server_come_back()
    {
        // A server of its own on a fixed port, so that it can be restarted where the pages expect it.
        var port = FreePorts.Next();
        var server = await ServerProcess.StartAsync(args: ["--urls", $"http://127.0.0.1:{port}"]);
        try
        {
            await using var pair = await Pair.StartAsync(fixture.Browser, server, output);
            var (a, b, alice, bob) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User);
            await a.StartChatAsync(bob);
            await a.SendAsync("before the drop");
            await b.OpenChatAsync(alice);
            await b.SendAsync("got it");
            await Expect(a.Bubble("got it")).ToHaveCountAsync(1);

            // Bob's network goes away: his client notices and says it is reconnecting.
            await b.Context.SetOfflineAsync(true);
            await Expect(b.ConnState).ToHaveAttributeAsync("data-state", "reconnecting");
            await Expect(b.Page.Locator("#conn-banner")).ToBeVisibleAsync();
            await b.ShotAsync("20-reconnecting");
            string[] whileAway = ["one while you were away", "two while you were away", "three while you were away"];
            foreach (var text in whileAway) await a.SendAsync(text);

            await b.Context.SetOfflineAsync(false);
            await b.ExpectOnlineAsync();
            await Expect(b.Page.Locator("#conn-banner")).ToBeHiddenAsync();
            foreach (var text in whileAway) await Expect(b.Bubble(text)).ToHaveCountAsync(1);
            await Expect(a.Tick(whileAway[^1])).ToHaveAttributeAsync("data-status", "read");

            // The server goes away: both clients show it; a message written meanwhile waits with a clock.
            await server.KillAsync();
            await Expect(a.ConnState).ToHaveAttributeAsync("data-state", "reconnecting");
            await Expect(b.ConnState).ToHaveAttributeAsync("data-state", "reconnecting");
            await a.SendAsync("written while the server was down");
            await Expect(a.Tick("written while the server was down")).ToHaveAttributeAsync("data-status", "pending");
            await a.ShotAsync("21-pending-while-down");

            server = await server.RestartAsync();
            await a.ExpectOnlineAsync();
            await b.ExpectOnlineAsync();
            await Expect(b.Bubble("written while the server was down")).ToHaveCountAsync(1);
            await Expect(a.Tick("written while the server was down")).ToHaveAttributeAsync("data-status", "read");

            string[] all = ["before the drop", "got it", .. whileAway, "written while the server was down"];
            foreach (var page in new[] { a, b })
            {
                await Expect(page.Bubbles).ToHaveCountAsync(all.Length);
                foreach (var text in all) await Expect(page.Bubble(text)).ToHaveCountAsync(1);
            }

            // And after a reload, from history: the same messages, once each.
            await b.Page.ReloadAsync();
            await b.ExpectOnlineAsync();
            await b.OpenChatAsync(alice);
            await Expect(b.Bubbles).ToHaveCountAsync(all.Length);
            await b.ShotAsync("22-after-resume");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reconnect_now_skips_the_rest_of_the_wait()
    {
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, Pair.Unique("alice_"), output);
        // The page's sockets pass through a route the test can cut: while it is cut, every attempt is closed at once.
        var cut = false;
        var routes = new List<Microsoft.Playwright.IWebSocketRoute>();
        await a.Page.RouteWebSocketAsync("**/v1/ws", ws =>
        {
            lock (routes) routes.Add(ws);
            if (Volatile.Read(ref cut)) _ = ws.CloseAsync(new() { Code = 1011, Reason = "cut by the test" });
            else ws.ConnectToServer();
        });
        await a.Page.ReloadAsync();
        await a.SignUpAsync();

        Volatile.Write(ref cut, true);
        Microsoft.Playwright.IWebSocketRoute live;
        lock (routes) live = routes[^1];
        await live.CloseAsync(new() { Code = 1011, Reason = "cut by the test" });
        await Expect(a.ConnState).ToHaveAttributeAsync("data-state", "reconnecting");
        // The waits between attempts grow; once the next attempt is at least 4 s away, the button saves that wait.
        await Expect(a.Page.Locator("#conn-banner-text")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"Retrying in ([4-9]|\d\d)\ss"), new() { Timeout = 30_000 });
        await a.ShotAsync("48-reconnect-now");
        Volatile.Write(ref cut, false);
        await a.Page.Locator("#btn-reconnect").ClickAsync();
        await Expect(a.ConnState).ToHaveAttributeAsync("data-state", "online", new() { Timeout = 2_500 });
        await Expect(a.Page.Locator("#conn-banner")).ToBeHiddenAsync();
    }
}
