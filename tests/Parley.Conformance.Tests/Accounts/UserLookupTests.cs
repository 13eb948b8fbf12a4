using System.Net;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Accounts;

/// <summary>GET /v1/users/{username} (an addition in docs/protocol.md): does this account exist, and its display name.</summary>
public sealed class UserLookupTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task An_existing_user_answers_200_with_username_and_display_name()
    {
        var viewer = await Server.NewUserAsync("look");
        var username = Names.User("dn");
        await Server.Api.CreateUserAsync(username, "password1", "Dinah Kitten");

        var reply = await Server.Api.GetAsync("v1/users/" + username, viewer.Token);

        Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status} {reply.Text}");
        Assert.Equal(username, reply.Json.GetProperty("username").GetString());
        Assert.Equal("Dinah Kitten", reply.Json.GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("nobody_here_zq")]
    [InlineData("Not-A-Name")]
    public async Task An_unknown_or_malformed_name_is_404_not_found(string username)
    {
        var viewer = await Server.NewUserAsync("look");

        var reply = await Server.Api.GetAsync("v1/users/" + username, viewer.Token);

        reply.AssertError(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_deleted_account_is_404_like_an_unknown_one()
    {
        var viewer = await Server.NewUserAsync("look");
        var gone = await Server.NewUserAsync("gone");
        var deleted = await Server.Api.DeleteAsync("v1/users/me", gone.Token, $$"""{"password":"{{TestServer.Password}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);

        var reply = await Server.Api.GetAsync("v1/users/" + gone.Username, viewer.Token);

        reply.AssertError(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Without_a_valid_token_it_is_401()
    {
        var someone = await Server.NewUserAsync("look");

        var reply = await Server.Api.GetAsync("v1/users/" + someone.Username, "not-a-token");

        reply.AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
