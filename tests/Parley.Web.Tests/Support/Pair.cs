using Microsoft.Playwright;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Support;

/// <summary>
/// Alice and bob in browser contexts of their own, both online: alice signed up on the page, bob (registered
/// beforehand, as most people are) logged in on it.
/// </summary>
public sealed class Pair : IAsyncDisposable
{
    private Pair(ChatPage alice, ChatPage bob)
    {
        Alice = alice;
        Bob = bob;
    }

    public ChatPage Alice { get; }

    public ChatPage Bob { get; }

    public static async Task<Pair> StartAsync(IBrowser browser, ServerProcess server, ITestOutputHelper output)
    {
        var (alice, bob) = (Unique("alice_"), Unique("bob_"));
        await WireClient.LoginAsync(server, bob, ChatPage.Password);
        var a = await ChatPage.OpenAsync(browser, server.BaseUri, alice, output);
        await a.SignUpAsync();
        var b = await ChatPage.OpenAsync(browser, server.BaseUri, bob, output);
        await b.LogInAsync();
        return new Pair(a, b);
    }

    /// <summary>A username no other test uses (the tests share a server).</summary>
    public static string Unique(string prefix) => TestNames.Unique(prefix);

    public async ValueTask DisposeAsync()
    {
        await Alice.DisposeAsync();
        await Bob.DisposeAsync();
    }
}
