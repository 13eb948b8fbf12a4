using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>
/// Issue 17 item 3: failed logins lock the username (not a device that holds a valid token of the user), and password
/// hashes are capped per node.
/// </summary>
public sealed class LoginThrottleTests
{
    private static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string user, string password, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/sessions") { Content = JsonContent.Create(new { username = user, password }) };
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return await http.SendAsync(request);
    }

    /// <summary>Rate limits on, but the per-address one out of the way: the locks are per name or device, whatever the address.</summary>
    private static Task<ServerProcess> StartAsync(int freeFailures) => ServerProcess.StartAsync(args:
    [
        "--Parley:RateLimits:Enabled=true", "--Parley:RateLimits:AccountRequestsPerSecond=1000", "--Parley:RateLimits:AccountRequestBurst=1000",
        $"--Parley:Auth:FreeLoginFailures={freeFailures}", "--Parley:Auth:LoginBackoff=00:01:00",
    ]);

    [Fact]
    public async Task Failed_logins_lock_the_username_for_everyone_but_a_device_that_holds_a_valid_token()
    {
        await using var server = await StartAsync(freeFailures: 3);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var user = Unique("t");
        var deviceToken = await WireClient.LoginAsync(server, user);

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await LoginAsync(http, user, "guess" + i + "xyz");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        // Locked: even the right password is refused, before it is checked, with a time to come back.
        using (var locked = await LoginAsync(http, user, "password1"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromSeconds(30));
            var error = (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        }
        // The user's own device logs in all the same: the guesses of others do not lock it out.
        using (var fromDevice = await LoginAsync(http, user, "password1", deviceToken))
        {
            Assert.Equal(HttpStatusCode.OK, fromDevice.StatusCode);
        }
        // A token of someone else is no way around the lock.
        var stranger = await WireClient.LoginAsync(server, Unique("s"));
        using (var withOtherToken = await LoginAsync(http, user, "password1", stranger))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, withOtherToken.StatusCode);
        }
    }

    [Fact]
    public async Task Failures_of_a_device_that_holds_a_token_lock_that_device_only()
    {
        await using var server = await StartAsync(freeFailures: 2);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var user = Unique("t");
        var thief = await WireClient.LoginAsync(server, user);

        // Someone holding a token guesses at the password (to keep the account after the token is revoked).
        for (var i = 0; i < 2; i++)
        {
            using var wrong = await LoginAsync(http, user, "guess" + i + "xyz", thief);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using (var locked = await LoginAsync(http, user, "password1", thief))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        }
        // The account deletion, which takes the password too, is behind the same lock.
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "v1/users/me") { Content = JsonContent.Create(new { password = "password1" }) })
        {
            delete.Headers.Authorization = new("Bearer", thief);
            using var refused = await http.SendAsync(delete);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
        // The name itself is not locked.
        using var owner = await LoginAsync(http, user, "password1");
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Password_hashes_past_the_nodes_slots_are_answered_503_overloaded()
    {
        // One slot, no queue, and hashes slow enough (several million iterations) that the others arrive while it is taken.
        await using var server = await ServerProcess.StartAsync(args:
        [
            "--Parley:Auth:MaxConcurrentHashes=1", "--Parley:Auth:HashQueueLimit=0", "--Parley:Auth:PasswordIterations=3000000",
        ]);
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => LoginAsync(http, Unique("n"), "password1")));
        try
        {
            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.Contains(HttpStatusCode.Unauthorized, statuses);
            var refused = responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
            Assert.True(refused is not null, string.Join(", ", statuses));
            Assert.NotNull(refused!.Headers.RetryAfter);
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("overloaded", error.GetProperty("code").GetString());
        }
        finally
        {
            foreach (var r in responses) r.Dispose();
        }
    }
}
