using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests.Support;

/// <summary>One person using the web client in a browser context of their own.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    public const string Password = "password1";
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IBrowserContext _context;
    private readonly ITestOutputHelper _output;

    private ChatPage(IBrowserContext context, IPage page, string user, ITestOutputHelper output)
    {
        _context = context;
        Page = page;
        User = user;
        _output = output;
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    public string User { get; }

    /// <summary>Opens the client at the server's root in a fresh context (no stored token).</summary>
    public static async Task<ChatPage> OpenAsync(IBrowser browser, Uri server, string user, ITestOutputHelper output, ViewportSize? viewport = null,
        ServiceWorkerPolicy serviceWorkers = ServiceWorkerPolicy.Allow, bool touch = false, string path = "/")
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = server.ToString(), ViewportSize = viewport ?? Desktop, ServiceWorkers = serviceWorkers, HasTouch = touch,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") output.WriteLine($"[{user} console {m.Type}] {m.Text}"); };
        page.PageError += (_, e) => output.WriteLine($"[{user} page error] {e}");
        await page.GotoAsync(path);
        return new ChatPage(context, page, user, output);
    }

    /// <summary>Creates the account through the sign-in screen and waits until the client is online.</summary>
    public async Task SignUpAsync()
    {
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Create account" }).ClickAsync();
        await Page.Locator("#auth-username").FillAsync(User);
        await Page.Locator("#auth-password").FillAsync(Password);
        await Page.Locator("#auth-submit").ClickAsync();
        await ExpectOnlineAsync();
    }

    /// <summary>Creates the account with a display name ("Your name") through the sign-in screen.</summary>
    public async Task SignUpAsync(string displayName)
    {
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Create account" }).ClickAsync();
        await Page.Locator("#auth-username").FillAsync(User);
        await Page.Locator("#auth-display").FillAsync(displayName);
        await Page.Locator("#auth-password").FillAsync(Password);
        await Page.Locator("#auth-submit").ClickAsync();
        await ExpectOnlineAsync();
    }

    /// <summary>Logs in to an existing account through the sign-in screen.</summary>
    public async Task LogInAsync()
    {
        await Page.Locator("#auth-username").FillAsync(User);
        await Page.Locator("#auth-password").FillAsync(Password);
        await Page.Locator("#auth-submit").ClickAsync();
        await ExpectOnlineAsync();
    }

    public ILocator ConnState => Page.Locator("#conn-state");

    public Task ExpectOnlineAsync() => Expect(ConnState).ToHaveAttributeAsync("data-state", "online");

    public ILocator ChatItem(string title) => Page.Locator(".chat-item", new() { Has = Page.Locator(".chat-item-name", new() { HasTextString = title }) });

    public ILocator Bubbles => Page.Locator("#messages .msg");

    public ILocator Bubble(string text) => Page.Locator("#messages .msg", new() { HasTextString = text });

    public ILocator Tick(string text) => Bubble(text).Locator(".tick");

    /// <summary>The row of message <paramref name="n"/> of the open chat.</summary>
    public ILocator Row(long n) => Page.Locator($"#messages .msg[data-n='{n}']");

    /// <summary>An item of the open pop-up menu.</summary>
    public ILocator MenuItem(string name) => Page.GetByRole(AriaRole.Menuitem, new() { Name = name, Exact = true });

    /// <summary>Opens a message's menu as a mouse user does: hover the bubble, click its chevron.</summary>
    public async Task OpenMessageMenuAsync(ILocator row)
    {
        await row.Locator(".bubble").HoverAsync();
        await row.Locator(".msg-menu").ClickAsync();
        await Expect(Page.Locator(".menu-pop")).ToBeVisibleAsync();
    }

    public ILocator Status => Page.Locator("#chat-status");

    /// <summary>Starts (or opens) the direct chat with <paramref name="user"/> from the new-chat dialog.</summary>
    public async Task StartChatAsync(string user, string? shownAs = null)
    {
        await Page.Locator("#btn-new-chat").ClickAsync();
        await Page.Locator("#new-chat-user").FillAsync(user);
        await Page.Locator("#new-chat-user").PressAsync("Enter");
        await Expect(Page.Locator("#chat-name")).ToHaveTextAsync(shownAs ?? user);
    }

    public async Task OpenChatAsync(string title)
    {
        await ChatItem(title).ClickAsync();
        await Expect(Page.Locator("#chat-name")).ToHaveTextAsync(title);
    }

    /// <summary>Types a message and presses Enter, as a person would.</summary>
    public async Task SendAsync(string text)
    {
        await Page.Locator("#input").FillAsync(text);
        await Page.Locator("#input").PressAsync("Enter");
        await Expect(Bubble(text)).ToHaveCountAsync(1);
    }

    /// <summary>Saves a screenshot under the test output directory and prints where.</summary>
    public async Task ShotAsync(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path });
        _output.WriteLine($"screenshot: {path}");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
