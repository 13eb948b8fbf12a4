using System.Collections.Concurrent;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Issue 17 items 5 and 11: the web client works over HTTPS (Kestrel with a certificate, the socket on wss://, HSTS), and
/// it works under the Content-Security-Policy the server sends with it, without a single violation.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class TransportSecurityTests(BrowserFixture fixture, ITestOutputHelper output)
{
    // Records every CSP violation of the page (the browser also logs them, but only this sees those of the first load).
    private const string ViolationRecorder =
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));";

    [Fact]
    public async Task The_web_client_runs_under_its_content_security_policy_without_a_violation()
    {
        using (var http = new HttpClient { BaseAddress = fixture.Server.BaseUri })
        {
            using var index = await http.GetAsync("/");
            Assert.True(index.Headers.TryGetValues("Content-Security-Policy", out var policy), "no Content-Security-Policy on the web client");
            Assert.Contains("script-src 'self'", policy.Single(), StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy.Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
            // HSTS only over HTTPS (RFC 6797): this server is plain HTTP.
            Assert.False(index.Headers.Contains("Strict-Transport-Security"));
        }

        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.Context.AddInitScriptAsync(ViolationRecorder);
        await a.Page.ReloadAsync();
        await a.SignUpAsync();
        await using var b = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
        await b.Context.AddInitScriptAsync(ViolationRecorder);
        await b.Page.ReloadAsync();
        await b.LogInAsync();

        // A text, and a photo (its preview and thumbnail are blob: images, its upload shows a progress ring).
        await a.StartChatAsync(bob);
        await a.SendAsync("Under a strict policy");
        await a.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = Pictures.Sunset() });
        await Expect(a.Page.Locator("#media-preview img")).ToBeVisibleAsync();
        await a.Page.Locator("#media-caption").FillAsync("A photo under the policy");
        // The upload is held until its progress ring has been drawn (the ring's fill is a CSS variable, which a style
        // attribute in markup would set, and the policy refuse).
        var ringDrawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await a.Page.RouteAsync("**/v1/media", async route =>
        {
            await ringDrawn.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await route.ContinueAsync();
        });
        await a.Page.Locator("#media-caption").PressAsync("Enter");
        var ring = a.Bubble("A photo under the policy").Locator(".progress-ring");
        await Expect(ring).ToBeVisibleAsync();
        Assert.Equal("0%", (await ring.EvaluateAsync<string>("e => getComputedStyle(e).getPropertyValue('--p')")).Trim());
        ringDrawn.SetResult();
        await b.OpenChatAsync(alice);
        var thumb = b.Bubble("A photo under the policy").Locator(".media img");
        await Expect(thumb).ToHaveJSPropertyAsync("naturalWidth", 320);
        await b.Bubble("A photo under the policy").Locator(".media").ClickAsync();
        await Expect(b.Page.Locator("#viewer-body img")).ToHaveJSPropertyAsync("naturalWidth", 1200);
        await Expect(a.Tick("A photo under the policy")).ToHaveAttributeAsync("data-status", "read");

        foreach (var page in new[] { a, b })
        {
            var violations = await page.Page.EvaluateAsync<string[]>("window.__cspViolations");
            Assert.True(violations.Length == 0, $"{page.User}'s page broke its policy: {string.Join("; ", violations)}");
        }
    }

    [Fact]
    public async Task The_web_client_works_over_https_with_its_socket_on_wss_and_hsts_sent()
    {
        using var certificate = TestCertificate.Create();
        await using var server = await ServerProcess.StartAsync(args: certificate.ServerArguments);
        Assert.Equal(Uri.UriSchemeHttps, server.BaseUri.Scheme);
        using (var http = server.CreateHttpClient())
        {
            using var index = await http.GetAsync("/");
            index.EnsureSuccessStatusCode();
            Assert.StartsWith("max-age=31536000", index.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        }

        // The certificate is the test's own: this browser accepts it (as a browser would a real one).
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = [.. BrowserFixture.ChromiumArgs, "--ignore-certificate-errors"], Timeout = 60_000,
        });
        var (alice, bob) = (Pair.Unique("alice_"), Pair.Unique("bob_"));
        var sockets = new ConcurrentQueue<string>();
        await using var a = await ChatPage.OpenAsync(browser, server.BaseUri, alice, output);
        a.Page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);
        await a.SignUpAsync();
        await using var b = await ChatPage.OpenAsync(browser, server.BaseUri, bob, output);
        await b.SignUpAsync();

        await a.StartChatAsync(bob);
        await a.SendAsync("Hello over TLS");
        await Expect(b.ChatItem(alice).Locator(".chat-item-last")).ToContainTextAsync("Hello over TLS");
        await b.OpenChatAsync(alice);
        await Expect(a.Tick("Hello over TLS")).ToHaveAttributeAsync("data-status", "read");
        Assert.Contains($"wss://{server.BaseUri.Authority}/v1/ws", sockets);
        Assert.DoesNotContain(sockets, url => url.StartsWith("ws:", StringComparison.Ordinal));
    }
}
