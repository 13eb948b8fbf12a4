using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Server.Tests.Security;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Gateway;

/// <summary>
/// The gateway's two entries on a real server: a connection whose first request is the upgrade is taken at the
/// connection level; everything else reaches Kestrel's HTTP/1.1 as before, an upgrade included (the endpoint).
/// </summary>
public sealed partial class ConnectionLevelUpgradeTests(SecurityServer fixture) : IClassFixture<SecurityServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_first_request_upgrade_is_taken_at_the_connection_level_and_the_socket_is_welcomed()
    {
        var token = await WireClient.LoginAsync(Server, Unique("a"));
        using var connection = await HttpOnSocket.ConnectAsync(Server);
        // Firefox's Connection header; the key is RFC 6455's example, whose accept value the RFC gives.
        var upgrade = $"GET /v1/ws?v=1 HTTP/1.1\r\nHost: {Server.BaseUri.Authority}\r\nuser-agent: test\r\nupgrade: WebSocket\r\n" +
            "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n";
        var answer = await connection.ExchangeAsync(upgrade);

        Assert.Equal(101, answer.Status);
        Assert.False(answer.FromHttpEndpoint, answer.Head);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", answer.Header("Sec-WebSocket-Accept"));
        Assert.Null(answer.Header("Sec-WebSocket-Extensions"));
        await connection.HelloAsync(token);
    }

    [Fact]
    public async Task An_API_request_first_goes_to_HTTP_and_an_upgrade_after_it_on_the_kept_alive_connection_reaches_the_endpoint()
    {
        var token = await WireClient.LoginAsync(Server, Unique("a"));
        using var connection = await HttpOnSocket.ConnectAsync(Server);
        var health = await connection.ExchangeAsync($"GET /healthz HTTP/1.1\r\nHost: {Server.BaseUri.Authority}\r\n\r\n");
        Assert.Equal(200, health.Status);
        Assert.True(health.FromHttpEndpoint, health.Head);

        var answer = await connection.ExchangeAsync(HttpOnSocket.Upgrade(Server));
        Assert.Equal(101, answer.Status);
        Assert.True(answer.FromHttpEndpoint, answer.Head);
        await connection.HelloAsync(token);
    }

    /// <summary>
    /// Why a tiny unmasked frame draws no close at once (ConnRelay's check saw none within 1 s): a server-side
    /// ManagedWebSocket reads a header with its mask, 6 bytes, before it parses it, on either path, so an unmasked
    /// frame of 2 + 2 bytes waits for 2 more. It is then refused with 1002 and the connection cut.
    /// </summary>
    [Fact]
    public async Task An_unmasked_frame_shorter_than_a_mask_ends_the_connection_once_two_more_bytes_arrive()
    {
        var token = await WireClient.LoginAsync(Server, Unique("a"));
        using var connection = await HttpOnSocket.ConnectAsync(Server);
        Assert.False((await connection.ExchangeAsync(HttpOnSocket.Upgrade(Server))).FromHttpEndpoint);
        await connection.HelloAsync(token);

        await connection.WriteAsync([0x81, 0x02, (byte)'{', (byte)'}', (byte)'x', (byte)'x']);
        // The connection ends; the 1002 is written just before the cut and may be overtaken by the reset (as on the endpoint).
        Assert.Contains(await connection.ReadCloseCodeAsync(), new int?[] { 1002, null });
    }

    [Fact]
    public async Task A_head_sent_in_pieces_is_taken_once_complete()
    {
        using var connection = await HttpOnSocket.ConnectAsync(Server);
        var upgrade = HttpOnSocket.Upgrade(Server);
        foreach (var piece in upgrade.Chunk(7)) await connection.WriteAsync(new string(piece));

        var answer = await connection.ReadAnswerAsync();
        Assert.Equal(101, answer.Status);
        Assert.False(answer.FromHttpEndpoint, answer.Head);
    }

    [Fact]
    public async Task A_head_too_large_for_the_connection_level_goes_to_HTTP_and_is_upgraded_by_the_endpoint()
    {
        using var connection = await HttpOnSocket.ConnectAsync(Server);
        var answer = await connection.ExchangeAsync(HttpOnSocket.Upgrade(Server, $"X-Padding: {new string('p', 9 * 1024)}\r\n"));
        Assert.Equal(101, answer.Status);
        Assert.True(answer.FromHttpEndpoint, answer.Head);
    }

    [Theory]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: {0}\r\n\r\n", 400)]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: {0}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAA\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: {0}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12\r\n\r\n", 400)]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: {0}\r\nHost: other\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GET /v1/ws HTTP/1.1\r\nHost: {0}\r\nUpgrade : websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", 400)]
    [InlineData("GET /v1/wsx HTTP/1.1\r\nHost: {0}\r\n\r\n", 404)]
    public async Task A_first_request_the_connection_level_does_not_take_is_answered_by_HTTP_as_before(string request, int status)
    {
        using var connection = await HttpOnSocket.ConnectAsync(Server);
        var answer = await connection.ExchangeAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, request, Server.BaseUri.Authority));
        Assert.Equal(status, answer.Status);
        Assert.True(answer.FromHttpEndpoint, answer.Head);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_with_403_at_the_connection_level_and_the_servers_own_is_upgraded()
    {
        using (var connection = await HttpOnSocket.ConnectAsync(Server))
        {
            var refused = await connection.ExchangeAsync(HttpOnSocket.Upgrade(Server, "Origin: https://elsewhere.example\r\n"));
            Assert.Equal(403, refused.Status);
            Assert.False(refused.FromHttpEndpoint, refused.Head);
            Assert.True(await connection.ClosedAsync());
        }
        using (var connection = await HttpOnSocket.ConnectAsync(Server))
        {
            var accepted = await connection.ExchangeAsync(HttpOnSocket.Upgrade(Server, $"Origin: http://{Server.BaseUri.Authority}\r\n"));
            Assert.Equal(101, accepted.Status);
            Assert.False(accepted.FromHttpEndpoint, accepted.Head);
        }
    }

    [Fact]
    public async Task Admission_and_the_per_address_cap_refuse_with_the_same_status_headers_and_body_on_both_paths()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:MaxPendingHandshakes=1",
            "--Parley:Gateway:HelloTimeout=00:02:00", "--Parley:Gateway:UpgradeRetryAfter=00:00:02.5"]);
        using var pending = await HttpOnSocket.ConnectAsync(server);
        Assert.Equal(101, (await pending.ExchangeAsync(HttpOnSocket.Upgrade(server))).Status);

        var (connectionLevel, endpoint) = await RefusedBothWaysAsync(server);
        Assert.Equal(503, connectionLevel.Status);
        AssertSameRefusal(connectionLevel, endpoint);
        Assert.Equal("3", connectionLevel.Header("Retry-After"));
        Assert.Contains("\"code\":\"overloaded\"", connectionLevel.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_per_address_cap_refuses_with_429_and_the_same_body_on_both_paths()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true",
            "--Parley:Gateway:MaxPendingHandshakesPerAddress=1", "--Parley:Gateway:HelloTimeout=00:02:00"]);
        using var pending = await HttpOnSocket.ConnectAsync(server);
        Assert.Equal(101, (await pending.ExchangeAsync(HttpOnSocket.Upgrade(server))).Status);

        var (connectionLevel, endpoint) = await RefusedBothWaysAsync(server);
        Assert.Equal(429, connectionLevel.Status);
        AssertSameRefusal(connectionLevel, endpoint);
        Assert.Contains("\"code\":\"rate_limited\"", connectionLevel.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_per_address_cap_counts_the_forwarded_client_address()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true", "--Parley:Proxy:KnownProxies:0=127.0.0.1",
            "--Parley:Gateway:MaxPendingHandshakesPerAddress=1", "--Parley:Gateway:HelloTimeout=00:02:00"]);
        async Task<HttpAnswer> UpgradeFromAsync(HttpOnSocket connection, string client) =>
            await connection.ExchangeAsync(HttpOnSocket.Upgrade(server, $"X-Forwarded-For: 198.51.100.1, {client}\r\n"));

        using var first = await HttpOnSocket.ConnectAsync(server);
        var taken = await UpgradeFromAsync(first, "203.0.113.7");
        Assert.Equal(101, taken.Status);
        Assert.False(taken.FromHttpEndpoint, taken.Head);
        using var sameClient = await HttpOnSocket.ConnectAsync(server);
        Assert.Equal(429, (await UpgradeFromAsync(sameClient, "203.0.113.7")).Status);
        using var otherClient = await HttpOnSocket.ConnectAsync(server);
        Assert.Equal(101, (await UpgradeFromAsync(otherClient, "203.0.113.8")).Status);
    }

    [Fact]
    public async Task A_server_stopping_does_not_wait_for_a_connection_that_has_sent_nothing_yet()
    {
        var server = await ServerProcess.StartAsync();
        await using (server)
        {
            using var idle = await HttpOnSocket.ConnectAsync(server);
            // Kestrel waits up to the host's 30 s shutdown timeout for connections still being served; HTTP/1.1 ends an
            // idle one at once when asked, and the connection level, waiting for a head, hands it to HTTP/1.1 once the
            // server is stopping.
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await server.StopAsync();
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {stopping.Elapsed}");
            Assert.True(await idle.ClosedAsync());
        }
    }

    [Fact]
    public async Task With_the_setting_off_every_upgrade_goes_through_the_endpoint()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:ConnectionLevelUpgrade=false"]);
        var token = await WireClient.LoginAsync(server, Unique("a"));
        using var connection = await HttpOnSocket.ConnectAsync(server);
        var answer = await connection.ExchangeAsync(HttpOnSocket.Upgrade(server));
        Assert.Equal(101, answer.Status);
        Assert.True(answer.FromHttpEndpoint, answer.Head);
        await connection.HelloAsync(token);
    }

    [Fact]
    public async Task Configured_endpoints_get_the_connection_level_path_and_HTTP2_prior_knowledge_still_reaches_HTTP()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Kestrel:Endpoints:Http1:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Http2:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Http2:Protocols=Http2"]);
        var addresses = ListeningLine().Matches(server.Output).Select(m => new Uri(m.Groups[1].Value)).Distinct().ToList();
        Assert.Equal(2, addresses.Count);

        // Each endpoint is tried with both: one upgrades at the connection level, the other answers HTTP/2.
        var upgraded = 0;
        var answeredHttp2 = 0;
        foreach (var address in addresses)
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = WireClient.Timeout };
            using var request = new HttpRequestMessage(HttpMethod.Get, "healthz") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            try
            {
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode && response.Version == HttpVersion.Version20) answeredHttp2++;
            }
            catch (HttpRequestException)
            {
                // The HTTP/1.1 endpoint does not speak HTTP/2 without TLS.
            }
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(address.Host, address.Port).WaitAsync(WireClient.Timeout);
                var stream = tcp.GetStream();
                var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /v1/ws HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\n" +
                    $"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
                var buffer = new byte[1024];
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(WireClient.Timeout);
                var head = Encoding.ASCII.GetString(buffer, 0, read);
                if (head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) && !head.Contains("Server: Kestrel", StringComparison.Ordinal)) upgraded++;
            }
            catch (IOException)
            {
                // The HTTP/2 endpoint ends a connection that does not begin with its preface.
            }
        }
        Assert.Equal((1, 1), (upgraded, answeredHttp2));
    }

    /// <summary>The same upgrade refused on a fresh connection (the connection level) and after a request (the endpoint).</summary>
    private static async Task<(HttpAnswer ConnectionLevel, HttpAnswer Endpoint)> RefusedBothWaysAsync(ServerProcess server)
    {
        using var fresh = await HttpOnSocket.ConnectAsync(server);
        var connectionLevel = await fresh.ExchangeAsync(HttpOnSocket.Upgrade(server));
        Assert.False(connectionLevel.FromHttpEndpoint, connectionLevel.Head);
        using var keptAlive = await HttpOnSocket.ConnectAsync(server);
        Assert.Equal(200, (await keptAlive.ExchangeAsync($"GET /healthz HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\n\r\n")).Status);
        var endpoint = await keptAlive.ExchangeAsync(HttpOnSocket.Upgrade(server));
        Assert.True(endpoint.FromHttpEndpoint, endpoint.Head);
        return (connectionLevel, endpoint);
    }

    private static void AssertSameRefusal(HttpAnswer connectionLevel, HttpAnswer endpoint)
    {
        Assert.Equal(endpoint.Status, connectionLevel.Status);
        Assert.Equal(endpoint.Header("Retry-After"), connectionLevel.Header("Retry-After"));
        Assert.Equal(endpoint.Header("Content-Type"), connectionLevel.Header("Content-Type"));
        Assert.Equal(endpoint.BodyText, connectionLevel.BodyText);
    }

    [GeneratedRegex(@"Now listening on: (https?://\S+)")]
    private static partial Regex ListeningLine();
}
