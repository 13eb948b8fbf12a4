using System.Net.Http.Json;
using System.Text.Json;
using Parley.Server.Gateway;
using Parley.Server.RateLimits;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>Issue 17 item 2: caps on sockets per device and per user (the oldest goes, 4429), and on devices per user (the oldest is revoked, 4401).</summary>
public sealed class SocketCapTests
{
    private static async Task PingAsync(WireClient client) =>
        Assert.Equal("ok", (await client.RequestAsync(new() { ["type"] = "ping" })).GetProperty("type").GetString());

    [Fact]
    public async Task A_device_past_its_socket_cap_loses_its_oldest_socket_with_4429()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:MaxSocketsPerDevice=2"]);
        var token = await WireClient.LoginAsync(server, Unique("d"));
        await using var first = await WireClient.ConnectAsync(server, token);
        await using var second = await WireClient.ConnectAsync(server, token);
        var third = await WireClient.ConnectAsync(server, token);

        Assert.Equal(4429, await first.ClosedAsync());
        await PingAsync(second);
        await PingAsync(third);
        await third.DisposeAsync();
    }

    [Fact]
    public async Task A_user_past_the_socket_cap_loses_a_socket_of_the_device_holding_the_most_not_the_others()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:MaxSocketsPerUser=4", "--Parley:Gateway:MaxSocketsPerDevice=4"]);
        var user = Unique("u");
        var phone = await WireClient.LoginAsync(server, user);
        // Another device of the same user (a stolen token, say) opens as many sockets as it may.
        var other = await WireClient.LoginAsync(server, user, register: false);
        await using var phoneFirst = await WireClient.ConnectAsync(server, phone);
        await using var o1 = await WireClient.ConnectAsync(server, other);
        await using var o2 = await WireClient.ConnectAsync(server, other);
        await using var o3 = await WireClient.ConnectAsync(server, other);

        // The phone reconnects (a new socket): the user is past 4, and the device holding the most loses its oldest.
        await using var phoneSecond = await WireClient.ConnectAsync(server, phone);
        Assert.Equal(4429, await o1.ClosedAsync());
        await PingAsync(phoneFirst);
        await PingAsync(phoneSecond);
        await PingAsync(o2);
    }

    [Fact]
    public async Task A_login_past_the_device_cap_revokes_the_oldest_device_and_closes_its_sockets()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Auth:MaxDevicesPerUser=2"]);
        var user = Unique("v");
        var oldest = await WireClient.LoginAsync(server, user);
        await using var oldSocket = await WireClient.ConnectAsync(server, oldest);
        var middle = await WireClient.LoginAsync(server, user, register: false);
        var newest = await WireClient.LoginAsync(server, user, register: false);

        Assert.Equal(4401, await oldSocket.ClosedAsync());
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        foreach (var (token, live) in new[] { (oldest, false), (middle, true), (newest, true) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/users/{user}");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(live ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public void The_caps_pick_the_devices_own_oldest_first_then_the_busiest_devices_oldest()
    {
        var caps = new SocketCaps(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { MaxSocketsPerDevice = 2, MaxSocketsPerUser = 3 }));
        Assert.Null(caps.Opened("a1", "u", "A"));
        Assert.Null(caps.Opened("b1", "u", "B"));
        Assert.Null(caps.Opened("a2", "u", "A"));
        // Four sockets for three places: A and B hold two each, and A's oldest is the oldest.
        Assert.Equal("a1", caps.Opened("b2", "u", "B"));
        // B's third socket passes B's own cap first.
        Assert.Equal("b1", caps.Opened("b3", "u", "B"));
        caps.Closed("a2", "u");
        Assert.Null(caps.Opened("c1", "u", "C"));
        // Another user is counted apart.
        Assert.Null(caps.Opened("x1", "w", "A"));
    }
}
