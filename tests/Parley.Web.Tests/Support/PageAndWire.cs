using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Support;

/// <summary>
/// Bob signed up in the browser, and carol on a raw socket (another client): carol's messages and group changes come
/// from the wire, and what bob's page does with them is checked.
/// </summary>
public sealed class PageAndWire : IAsyncDisposable
{
    private PageAndWire(ChatPage bob, WireClient carol, string carolName)
    {
        Bob = bob;
        Carol = carol;
        CarolName = carolName;
    }

    public ChatPage Bob { get; }

    public WireClient Carol { get; }

    public string CarolName { get; }

    public static async Task<PageAndWire> StartAsync(BrowserFixture fixture, ITestOutputHelper output)
    {
        var (bob, carol) = (Pair.Unique("bob_"), Pair.Unique("carol_"));
        var wire = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));
        try
        {
            var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, bob, output);
            await page.SignUpAsync();
            return new PageAndWire(page, wire, carol);
        }
        catch
        {
            await wire.DisposeAsync();
            throw;
        }
    }

    /// <summary>Carol sends bob a text.</summary>
    public Task SendToBobAsync(string text) => Accounts.SendAsync(Carol, Bob.User, text);

    public async ValueTask DisposeAsync()
    {
        await Bob.DisposeAsync();
        await Carol.DisposeAsync();
    }
}
