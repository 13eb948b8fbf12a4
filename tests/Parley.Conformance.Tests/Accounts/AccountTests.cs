using System.Net;
using System.Text.Json;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Accounts;

/// <summary>POST /v1/users, POST /v1/sessions and GET /healthz.</summary>
public sealed class AccountTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private HttpApi Api => shared.Server.Api;

    [Fact]
    public async Task Health_check_answers_200()
    {
        var reply = await Api.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Registering_returns_201_with_username_and_display_name()
    {
        var username = Names.User("reg");
        var reply = await Api.CreateUserAsync(username, "password1", "Alice Liddell");

        Assert.True(reply.Status == HttpStatusCode.Created, $"{(int)reply.Status} {reply.Text}");
        Assert.Equal(username, reply.Json.GetProperty("username").GetString());
        Assert.Equal("Alice Liddell", reply.Json.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Registering_without_a_display_name_returns_201_with_a_display_name_field()
    {
        var username = Names.User("nodn");
        var reply = await Api.CreateUserAsync(username, "password1");

        Assert.True(reply.Status == HttpStatusCode.Created, $"{(int)reply.Status} {reply.Text}");
        Assert.Equal(username, reply.Json.GetProperty("username").GetString());
        Assert.True(reply.Json.TryGetProperty("displayName", out _), reply.Text);
    }

    [Fact]
    public async Task Usernames_of_3_and_32_characters_from_the_allowed_alphabet_are_accepted()
    {
        var shortest = Names.Random(3);
        var longest = "a_0" + Names.Random(29);

        var s = await Api.CreateUserAsync(shortest, "password1");
        var l = await Api.CreateUserAsync(longest, "password1");

        Assert.True(s.Status == HttpStatusCode.Created, $"{shortest}: {(int)s.Status} {s.Text}");
        Assert.True(l.Status == HttpStatusCode.Created, $"{longest}: {(int)l.Status} {l.Text}");
    }

    [Theory]
    [InlineData("Al")]
    [InlineData("UPPER")]
    [InlineData("a-b")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    public async Task Registering_a_bad_username_is_400_bad_request(string username)
    {
        var reply = await Api.CreateUserAsync(username, "password1");
        reply.AssertError(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Registering_with_a_password_under_8_characters_is_400_and_8_is_enough()
    {
        var username = Names.User("pw");

        var tooShort = await Api.CreateUserAsync(username, "1234567");
        var enough = await Api.CreateUserAsync(username, "12345678");

        tooShort.AssertError(HttpStatusCode.BadRequest, "bad_request");
        Assert.True(enough.Status == HttpStatusCode.Created, $"{(int)enough.Status} {enough.Text}");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"password\":\"password1\"}")]
    [InlineData("{\"username\":5,\"password\":\"password1\"}")]
    public async Task Registering_with_a_malformed_body_is_400(string body)
    {
        var reply = await Api.PostJsonAsync("v1/users", body);
        reply.AssertError(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Registering_a_taken_username_is_409_conflict()
    {
        var username = Names.User("taken");
        var first = await Api.CreateUserAsync(username, "password1");
        Assert.Equal(HttpStatusCode.Created, first.Status);

        var second = await Api.CreateUserAsync(username, "other password");

        second.AssertError(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Login_returns_a_token_a_device_id_and_a_future_expiry()
    {
        var username = Names.User("login");
        await Api.CreateUserAsync(username, "password1");

        var reply = await Api.LoginAsync(username, "password1", "laptop");

        Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status} {reply.Text}");
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("token").GetString()));
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("deviceId").GetString()));
        var expiresAt = reply.Json.GetProperty("expiresAt");
        Assert.Equal(JsonValueKind.Number, expiresAt.ValueKind);
        Assert.True(expiresAt.GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), reply.Text);
    }

    [Fact]
    public async Task Two_logins_of_one_user_are_two_devices_with_different_tokens()
    {
        var username = Names.User("twice");
        await Api.CreateUserAsync(username, "password1");

        var a = await Api.SessionAsync(username, "password1");
        var b = await Api.SessionAsync(username, "password1");

        Assert.NotEqual(a.DeviceId, b.DeviceId);
        Assert.NotEqual(a.Token, b.Token);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_is_401_unauthorized()
    {
        var username = Names.User("wrongpw");
        await Api.CreateUserAsync(username, "password1");

        var reply = await Api.LoginAsync(username, "password2");

        reply.AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Login_of_an_unknown_user_is_401_unauthorized()
    {
        var reply = await Api.LoginAsync(Names.User("ghost"), "password1");
        reply.AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"username\":\"someone\"}")]
    [InlineData("{\"username\":\"someone\",\"password\":12345678}")]
    public async Task Login_with_a_malformed_body_is_400(string body)
    {
        var reply = await Api.PostJsonAsync("v1/sessions", body);
        reply.AssertError(HttpStatusCode.BadRequest, "bad_request");
    }
}
