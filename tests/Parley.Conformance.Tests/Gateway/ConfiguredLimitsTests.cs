using System.Net.WebSockets;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Gateway;

/// <summary>Limits set in configuration are the ones announced in welcome and enforced.</summary>
public sealed class ConfiguredLimitsTests
{
    [Fact]
    public async Task Configured_limits_are_announced_in_welcome_and_enforced()
    {
        await using var server = await TestServer.StartAsync("--Parley:Limits:MaxFrameBytes=4096", "--Parley:Limits:MaxBodyBytes=100");
        var alice = await server.NewUserAsync("alice");
        var bob = await server.NewUserAsync("bob");
        await using var client = await server.ConnectAsync(alice, autoAck: true);
        var limits = client.Welcome!.Get("limits");
        Assert.Equal(4096, limits.GetProperty("maxFrameBytes").GetInt32());
        Assert.Equal(100, limits.GetProperty("maxBodyBytes").GetInt32());

        var fits = await client.SendMessageAsync(bob.Username, "\"" + new string('x', 98) + "\"");
        var over = await client.SendMessageAsync(bob.Username, "\"" + new string('x', 99) + "\"");
        Assert.True(fits.IsOk, fits.Raw);
        Assert.Equal("too_large", over.Str("code"));

        try
        {
            await client.SendRawAsync("{\"type\":\"ping\",\"rid\":\"big\",\"padding\":\"" + new string('x', 4096) + "\"}");
        }
        catch (WebSocketException)
        {
            // The server may close the socket while the frame is still being written.
        }
        Assert.Equal(1009, await client.ClosedAsync());
    }
}
