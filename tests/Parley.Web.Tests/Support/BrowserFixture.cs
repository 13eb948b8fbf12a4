using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.Web.Tests.Support;

/// <summary>
/// One headless Chromium (Debian's, never Playwright's download) and one server for the browser tests.
/// The server sweeps expired messages every 200 ms so that disappearing messages are tested in seconds.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Auto-waiting assertions wait this long: the machine is shared and a browser is heavy.
        Assertions.SetDefaultExpectTimeout(20_000);
        Server = await ServerProcess.StartAsync(args: ["--Parley:Retention:SweepInterval=00:00:00.200"]);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs, Timeout = 60_000 });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>The browser tests share one browser and run one at a time (two cores, several browser contexts per test).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
