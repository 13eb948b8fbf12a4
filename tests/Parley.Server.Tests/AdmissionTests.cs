using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Parley.Server.Tests.Load;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>
/// Admission control (issue 15 item 6): a node holds at most <c>Parley:Gateway:MaxPendingHandshakes</c> sockets between
/// their upgrade and their welcome; a further upgrade is refused at once with 503 <c>overloaded</c> and Retry-After.
/// </summary>
public sealed class AdmissionTests
{
    private const string Refused = "parley_gateway_upgrades_refused_total";
    private const string Pending = "parley_gateway_pending_handshakes";

    private static Task<ServerProcess> StartAsync(params string[] args) =>
        ServerProcess.StartAsync(args: [PresenceServer.NoShedding, .. args]);

    [Fact]
    public async Task Past_the_cap_on_sockets_awaiting_their_welcome_an_upgrade_is_refused_with_503_Retry_After_and_overloaded()
    {
        await using var server = await StartAsync("--Parley:Gateway:MaxPendingHandshakes=2", "--Parley:Gateway:UpgradeRetryAfter=00:00:02");
        await using var first = await WireClient.OpenAsync(server);
        await using var second = await WireClient.OpenAsync(server);

        var refused = await UpgradeAsync(server);

        Assert.Equal(503, refused.Status);
        Assert.Equal("2", refused.Header("Retry-After"));
        Assert.StartsWith("application/json", refused.Header("Content-Type"), StringComparison.Ordinal);
        var error = JsonDocument.Parse(refused.Body).RootElement.GetProperty("error");
        Assert.Equal("overloaded", error.GetProperty("code").GetString());
        Assert.Equal(2000, error.GetProperty("retryAfterMs").GetInt64());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        await Metrics(server, m => m.Value(Refused, ("reason", "pending")) == 1 && m.Value(Pending) == 2);
    }

    [Fact]
    public async Task A_place_is_freed_when_a_pending_socket_is_welcomed_or_goes_away()
    {
        await using var server = await StartAsync("--Parley:Gateway:MaxPendingHandshakes=2");
        var token = await WireClient.LoginAsync(server, Unique("w"));
        await using var welcomed = await WireClient.OpenAsync(server);
        var leaving = await WireClient.OpenAsync(server);
        await using var third = await DisposeOnFailureAsync(leaving, async () =>
        {
            Assert.Equal(503, (await UpgradeAsync(server)).Status);

            // Welcomed: its place is given back just before the welcome is queued, so it is free once the client has it.
            await welcomed.SendAsync(new { type = "hello", token });
            await welcomed.NextAsync("welcome");
            return await WireClient.OpenAsync(server);
        });
        Assert.Equal(503, (await UpgradeAsync(server)).Status);

        // Gone before its hello: the server notices the reset and gives its place back.
        await leaving.DisposeAsync();
        await Metrics(server, m => m.Value(Pending) == 1);
        await using var fourth = await WireClient.OpenAsync(server);

        await Metrics(server, m => m.Value(Refused, ("reason", "pending")) == 2 && m.Value(Pending) == 2);
    }

    [Fact]
    public async Task No_upgrade_under_the_cap_is_refused_and_welcomed_sockets_do_not_count_toward_it()
    {
        await using var server = await StartAsync("--Parley:Gateway:MaxPendingHandshakes=4");
        var sockets = new List<WireClient>();
        try
        {
            // Six live connections (more than the cap), then four sockets at once that have not said hello: all admitted.
            foreach (var user in new[] { Unique("u"), Unique("v") })
            {
                var token = await WireClient.LoginAsync(server, user);
                for (var i = 0; i < 3; i++) sockets.Add(await WireClient.ConnectAsync(server, token));
            }
            var opening = Enumerable.Range(0, 4).Select(_ => WireClient.OpenAsync(server)).ToList();
            try
            {
                await Task.WhenAll(opening);
            }
            finally
            {
                foreach (var open in opening.Where(t => t.IsCompletedSuccessfully)) sockets.Add(await open);
            }
            var metrics = await Metrics(server, m => m.Value(Pending) == 4);
            Assert.Equal(0, metrics.Value(Refused));

            // The cap is exactly there: the fifth waiting socket is the first refused.
            Assert.Equal(503, (await UpgradeAsync(server)).Status);
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task From_the_configured_load_level_every_upgrade_is_refused_with_the_governors_retry_after()
    {
        await using var server = await ServerProcess.StartAsync(args:
            ["--Parley:Governor:ForceLevel=2", "--Parley:Gateway:RefuseUpgradesFromLevel=2", "--Parley:Governor:RetryAfter=00:00:03"]);

        var refused = await UpgradeAsync(server);

        Assert.Equal(503, refused.Status);
        Assert.Equal("3", refused.Header("Retry-After"));
        var error = JsonDocument.Parse(refused.Body).RootElement.GetProperty("error");
        Assert.Equal(("overloaded", 3000L), (error.GetProperty("code").GetString(), error.GetProperty("retryAfterMs").GetInt64()));
        var metrics = await Metrics(server, m => m.Value(Refused, ("reason", "load")) == 1);
        Assert.Equal(0, metrics.Value(Pending));
    }

    /// <summary>The exporter caches a scrape for a moment: the figures are awaited, not read once.</summary>
    private static Task<PrometheusText> Metrics(ServerProcess server, Func<PrometheusText, bool> until) =>
        PrometheusText.WaitAsync(server, until, WireClient.Timeout);

    private static async Task<T> DisposeOnFailureAsync<T>(WireClient client, Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>An upgrade request on a raw socket: the server's answer (status, headers, body). A 101 is closed at once.</summary>
    private static async Task<UpgradeAnswer> UpgradeAsync(ServerProcess server)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(WireClient.Timeout);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET /v1/ws HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(WireClient.Timeout);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var answer = new UpgradeAnswer(int.Parse(text[9..12], CultureInfo.InvariantCulture), text[..end], text[(end + 4)..]);
                if (answer.Status == 101) return answer;
                if (string.Equals(answer.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
                {
                    if (answer.Body.EndsWith("0\r\n\r\n", StringComparison.Ordinal)) return answer with { Body = Dechunk(answer.Body) };
                }
                else if (Encoding.UTF8.GetByteCount(answer.Body) >= int.Parse(answer.Header("Content-Length") ?? "0", CultureInfo.InvariantCulture))
                {
                    return answer;
                }
            }
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(WireClient.Timeout);
            if (read == 0) throw new EndOfStreamException("the server closed before a whole answer: " + text);
            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = int.Parse(body[position..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) return text.ToString();
            text.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }

    private sealed record UpgradeAnswer(int Status, string Head, string Body)
    {
        public string? Header(string name) => Head.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && string.Equals(parts[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim()).FirstOrDefault();
    }
}
