using System.Net;
using System.Net.Http.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Security;

/// <summary>
/// Issue 17 item 4: behind a proxy named in Parley:Proxy, the per-address limits count the client's address from
/// X-Forwarded-For; nobody else's X-Forwarded-For is believed.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static readonly string[] TightAccountLimit =
        ["--Parley:RateLimits:Enabled=true", "--Parley:RateLimits:AccountRequestsPerSecond=1", "--Parley:RateLimits:AccountRequestBurst=2"];

    /// <summary>Account requests "from" <paramref name="client"/> (as the proxy says) until one is refused; how many went through.</summary>
    private static async Task<List<HttpStatusCode>> LoginsAsync(HttpClient http, string client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/sessions") { Content = JsonContent.Create(new { username = "nobody", password = "password1" }) };
            request.Headers.Add("X-Forwarded-For", client);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task Behind_a_configured_proxy_each_client_address_has_its_own_bucket()
    {
        await using var server = await ServerProcess.StartAsync(args: [.. TightAccountLimit, "--Parley:Proxy:KnownProxies:0=127.0.0.1"]);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        Assert.Contains(HttpStatusCode.TooManyRequests, await LoginsAsync(http, "203.0.113.7", 4));
        // Another client behind the same proxy is not refused for the first one's requests.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], await LoginsAsync(http, "203.0.113.8", 2));
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_client_cannot_pick_its_address()
    {
        await using var server = await ServerProcess.StartAsync(args: TightAccountLimit);
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        Assert.Contains(HttpStatusCode.TooManyRequests, await LoginsAsync(http, "203.0.113.7", 4));
        // A made-up X-Forwarded-For is ignored: the requests are still counted against the connection's own address.
        Assert.Contains(HttpStatusCode.TooManyRequests, await LoginsAsync(http, "203.0.113.9", 2));
    }

    [Fact]
    public async Task A_network_of_proxies_may_be_named_in_cidr_notation_and_a_bad_one_stops_the_server()
    {
        await using (var server = await ServerProcess.StartAsync(args: [.. TightAccountLimit, "--Parley:Proxy:KnownNetworks:0=127.0.0.0/8"]))
        {
            using var http = new HttpClient { BaseAddress = server.BaseUri };
            Assert.Contains(HttpStatusCode.TooManyRequests, await LoginsAsync(http, "203.0.113.7", 4));
            Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], await LoginsAsync(http, "203.0.113.8", 2));
        }
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(args: ["--Parley:Proxy:KnownNetworks:0=not-a-network"]));
        Assert.Contains("KnownNetworks", failure.Message, StringComparison.Ordinal);
    }
}
