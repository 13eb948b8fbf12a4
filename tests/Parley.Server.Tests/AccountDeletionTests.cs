using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>DELETE /v1/users/me: sockets closed, groups left, pending messages failed, the name kept.</summary>
public sealed class AccountDeletionTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> DeleteAsync(string? token, object? body)
    {
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Delete, "v1/users/me");
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request);
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString();

    [Fact]
    public async Task Deleting_an_account_closes_its_sockets_leaves_its_groups_and_fails_what_was_pending()
    {
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        var bobToken = await WireClient.LoginAsync(_server, bob);
        var bobLaptop = await WireClient.LoginAsync(_server, bob, register: false);
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, alice));
        await using var c = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, carol));
        await using var b1 = await WireClient.ConnectAsync(_server, bobToken);
        await using var b2 = await WireClient.ConnectAsync(_server, bobLaptop);

        var group = await b1.RequestAsync(new() { ["type"] = "group.create", ["name"] = "team", ["members"] = new[] { alice, carol } });
        var conv = group.GetProperty("conv").GetString()!;
        // Bob's devices receive this but never ack it: it is still pending when he leaves.
        var pending = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "unread", ["to"] = bob, ["body"] = "hello?" });
        await b1.NextAsync("message");

        using (var noToken = await DeleteAsync(null, new { password = "password1" })) Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        using (var wrong = await DeleteAsync(bobToken, new { password = "wrong-password" }))
        {
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (wrong.StatusCode, await ErrorCodeAsync(wrong)));
        }
        using (var deleted = await DeleteAsync(bobToken, new { password = "password1" })) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Equal(4401, await b1.ClosedAsync());
        Assert.Equal(4401, await b2.ClosedAsync());

        var failed = await a.NextAsync("failed");
        Assert.Equal(("unread", pending.GetProperty("id").GetString(), bob, "gone"),
            (failed.GetProperty("cid").GetString(), failed.GetProperty("id").GetString(), failed.GetProperty("to").GetString(), failed.GetProperty("reason").GetString()));
        foreach (var member in new[] { a, c })
        {
            var left = await member.NextAsync(f => f.GetProperty("type").GetString() == "group" && f.GetProperty("event").GetString() == "left");
            Assert.Equal((conv, bob), (left.GetProperty("conv").GetString(), left.GetProperty("member").GetString()));
            // Bob was the only admin: the longest-standing member is promoted.
            var admin = await member.NextAsync(f => f.GetProperty("type").GetString() == "group" && f.GetProperty("event").GetString() == "admin");
            Assert.True(admin.GetProperty("admin").GetBoolean());
        }
        var info = await a.RequestAsync(new() { ["type"] = "group.info", ["conv"] = conv });
        Assert.DoesNotContain(bob, info.GetProperty("members").EnumerateArray().Select(m => m.GetString()));

        // The name stays taken; the account is gone for login, sending and tokens.
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        using (var register = await http.PostAsJsonAsync("v1/users", new { username = bob, password = "password2" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, register.StatusCode);
        }
        using (var login = await http.PostAsJsonAsync("v1/sessions", new { username = bob, password = "password1" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }
        var toGone = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "late", ["to"] = bob, ["body"] = "hi" });
        Assert.Equal(("error", "not_found"), (toGone.GetProperty("type").GetString(), toGone.GetProperty("code").GetString()));
        await using var stale = await WireClient.OpenAsync(_server);
        await stale.SendAsync(new { type = "hello", token = bobLaptop });
        Assert.Equal(4401, await stale.ClosedAsync());
        using (var twice = await DeleteAsync(bobToken, new { password = "password1" })) Assert.Equal(HttpStatusCode.Unauthorized, twice.StatusCode);
    }

    [Fact]
    public async Task A_delete_without_a_password_is_a_bad_request_and_deletes_nothing()
    {
        var token = await WireClient.LoginAsync(_server, Unique("d"));
        using (var missing = await DeleteAsync(token, new { })) Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        await using var still = await WireClient.ConnectAsync(_server, token);
        Assert.Equal("welcome", still.Welcome.GetProperty("type").GetString());
    }
}
