using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Gateway;

/// <summary>Session start: hello, welcome, and the close codes of a failed start; frame size.</summary>
public sealed class HandshakeTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task Hello_with_a_valid_token_gets_a_welcome_with_user_device_head_time_and_limits()
    {
        var alice = await Server.NewUserAsync("alice");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await using var client = await Server.ConnectAsync(alice);

        var welcome = client.Welcome!;
        Assert.Equal(alice.Username, welcome.Str("user"));
        Assert.Equal(alice.DeviceId, welcome.Str("device"));
        Assert.True(welcome.Number("head") >= 0, welcome.Raw);
        var serverTime = welcome.Number("serverTime");
        Assert.InRange(serverTime, before - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000);
        var limits = welcome.Get("limits");
        Assert.Equal(65536, limits.GetProperty("maxFrameBytes").GetInt64());
        Assert.Equal(16384, limits.GetProperty("maxBodyBytes").GetInt64());
        Assert.Equal(200, limits.GetProperty("maxGroupMembers").GetInt64());
    }

    [Fact]
    public async Task A_first_frame_that_is_not_hello_closes_the_socket_with_4401()
    {
        await using var client = await Server.OpenAsync();

        await client.SendAsync(new JsonObject { ["type"] = "ping", ["rid"] = "p1" });

        Assert.Equal(4401, await client.ClosedAsync());
        Assert.DoesNotContain(client.Received, f => f.IsOk);
    }

    public static TheoryData<string> BadHellos => new()
    {
        """{"type":"hello","token":"not-a-token","background":false}""",
        """{"type":"hello","token":"","background":false}""",
        """{"type":"hello","background":false}""",
    };

    [Theory]
    [MemberData(nameof(BadHellos))]
    public async Task Hello_with_a_bad_empty_or_missing_token_closes_the_socket_with_4401(string hello)
    {
        await using var client = await Server.OpenAsync();

        await client.SendRawAsync(hello);

        Assert.Equal(4401, await client.ClosedAsync());
        Assert.DoesNotContain(client.Received, f => f.Type == "welcome");
    }

    [Fact]
    public async Task No_hello_within_the_hello_timeout_closes_the_socket_with_4408()
    {
        await using var client = await Server.OpenAsync();

        Assert.Equal(4408, await client.ClosedAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Hello_with_after_omitted_is_accepted()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.OpenAsync();

        await client.SendRawAsync($$"""{"type":"hello","token":{{RawJson.Quote(alice.Token)}}}""");

        var welcome = await client.NextAsync(f => f.Type == "welcome");
        Assert.Equal(alice.Username, welcome.Str("user"));
    }

    [Fact]
    public async Task A_frame_over_max_frame_bytes_closes_the_socket_with_1009()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);
        var max = client.Welcome!.Get("limits").GetProperty("maxFrameBytes").GetInt32();

        try
        {
            await client.SendRawAsync(PaddedPing("big", max + 1024));
        }
        catch (WebSocketException)
        {
            // The server may close the socket while the frame is still being written.
        }

        Assert.Equal(1009, await client.ClosedAsync());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(20_000)]
    [InlineData(-16)] // 16 bytes under the limit
    public async Task Frames_up_to_max_frame_bytes_are_served_and_unknown_fields_ignored(int size)
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);
        var max = client.Welcome!.Get("limits").GetProperty("maxFrameBytes").GetInt32();

        await client.SendRawAsync(PaddedPing("nearly", size > 0 ? size : max + size));

        var reply = await client.ReplyAsync("nearly");
        Assert.True(reply.IsOk, reply.Raw);
        Assert.Equal(JsonValueKind.Number, reply.Get("ts").ValueKind);
    }

    /// <summary>A ping of exactly <paramref name="size"/> bytes, padded with an unknown field.</summary>
    private static string PaddedPing(string rid, int size)
    {
        var head = "{\"type\":\"ping\",\"rid\":\"" + rid + "\",\"padding\":\"";
        const string Tail = "\"}";
        return head + new string('x', size - head.Length - Tail.Length) + Tail;
    }
}
