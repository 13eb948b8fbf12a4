using System.Net.Http.Json;
using Parley.Testing;

namespace Parley.Web.Tests.Support;

/// <summary>Accounts made over HTTP, as another client would make them.</summary>
public static class Accounts
{
    /// <summary>Registers <paramref name="user"/> with a display name and returns a session token.</summary>
    public static async Task<string> RegisterAsync(ServerProcess server, string user, string displayName)
    {
        using (var http = new HttpClient { BaseAddress = server.BaseUri })
        {
            using var created = await http.PostAsJsonAsync("v1/users", new { username = user, password = ChatPage.Password, displayName });
            created.EnsureSuccessStatusCode();
        }
        return await WireClient.LoginAsync(server, user, ChatPage.Password, register: false);
    }

    /// <summary>Sends a text message over the wire and checks it was stored.</summary>
    public static async Task<System.Text.Json.JsonElement> SendAsync(WireClient from, string toOrConv, string text)
    {
        var target = toOrConv.StartsWith("g:", StringComparison.Ordinal) || toOrConv.StartsWith("d:", StringComparison.Ordinal) ? "conv" : "to";
        var ok = await from.RequestAsync(new() { ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), [target] = toOrConv, ["body"] = text });
        Assert.Equal("ok", ok.GetProperty("type").GetString());
        return ok;
    }
}
