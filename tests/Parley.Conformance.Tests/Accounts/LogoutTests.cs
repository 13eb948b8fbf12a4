using System.Net;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Accounts;

/// <summary>DELETE /v1/sessions/current: the token is revoked at once and its sockets closed.</summary>
public sealed class LogoutTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task Logout_returns_204_and_the_token_no_longer_opens_a_socket()
    {
        var alice = await Server.NewUserAsync("alice");

        var reply = await Server.Api.LogoutAsync(alice.Token);
        Assert.True(reply.Status == HttpStatusCode.NoContent, $"{(int)reply.Status} {reply.Text}");

        await using var socket = await Server.OpenAsync();
        await socket.SendAsync(new() { ["type"] = "hello", ["token"] = alice.Token });
        Assert.Equal(4401, await socket.ClosedAsync());
        Assert.DoesNotContain(socket.Received, f => f.Type == "welcome");
    }

    [Fact]
    public async Task Logout_closes_the_open_socket_of_that_device_with_4401_and_leaves_other_devices_open()
    {
        var phone = await Server.NewUserAsync("alice");
        var laptop = await Server.LoginAsync(phone);
        await using var phoneSocket = await Server.ConnectAsync(phone);
        await using var laptopSocket = await Server.ConnectAsync(laptop);

        var reply = await Server.Api.LogoutAsync(phone.Token);

        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        Assert.Equal(4401, await phoneSocket.ClosedAsync());
        await laptopSocket.PingAsync();
    }

    [Fact]
    public async Task Logout_with_a_revoked_token_is_401()
    {
        var alice = await Server.NewUserAsync("alice");
        await Server.Api.LogoutAsync(alice.Token);

        var again = await Server.Api.LogoutAsync(alice.Token);

        again.AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Logout_without_a_token_is_401()
    {
        var reply = await Server.Api.LogoutAsync(null);
        reply.AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
