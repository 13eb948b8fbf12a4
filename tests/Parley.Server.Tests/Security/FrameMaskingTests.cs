using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>
/// RFC 6455 5.1: a server closes the connection on a client frame that is not masked. The WebSocket that the gateway
/// runs on does (close code 1002); these hold whatever carries the gateway's frames later (a socket layer of its own).
/// </summary>
public sealed class FrameMaskingTests(SecurityServer fixture) : IClassFixture<SecurityServer>
{
    private const int ProtocolError = 1002;

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task An_unmasked_client_frame_closes_the_connection_with_1002_and_is_never_executed()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(Server, alice);
        await WireClient.LoginAsync(Server, bob);
        using (var socket = await RawSocket.HelloAsync(Server, aliceToken))
        {
            // In one write: a masked send, then an unmasked one. The first is read as usual (whether its reply gets out
            // before the connection closes is a race); the second must never be executed.
            await socket.SendAsync(RawSocket.TextFrame($$"""{"type":"send","rid":"1","cid":"masked","to":"{{bob}}","body":"first"}""", masked: true),
                RawSocket.TextFrame($$"""{"type":"send","rid":"2","cid":"unmasked","to":"{{bob}}","body":"second"}""", masked: false));
            var (replies, closeCode) = await socket.ReadUntilClosedAsync();
            Assert.Equal(ProtocolError, closeCode);
            Assert.DoesNotContain(replies, r => r.Contains("\"rid\":\"2\"", StringComparison.Ordinal));
        }

        await using var a = await WireClient.ConnectAsync(Server, aliceToken);
        var history = await a.RequestAsync(new() { ["type"] = "history", ["conv"] = Direct(alice, bob) });
        Assert.DoesNotContain(history.GetProperty("messages").EnumerateArray(), m => m.GetProperty("body").GetRawText() == "\"second\"");
    }

    [Fact]
    public async Task An_unmasked_frame_whose_header_arrives_in_pieces_closes_the_connection_unread()
    {
        using var socket = await RawSocket.HelloAsync(Server, await WireClient.LoginAsync(Server, Unique("a")));
        await socket.SendAsync(RawSocket.TextFrame("""{"type":"no.such.request","rid":"masked"}""", masked: true));
        // The reply to the first request shows its bytes were read before the next frame's first byte is sent.
        await socket.NextTextAsync(r => r.Contains("\"rid\":\"masked\"", StringComparison.Ordinal));
        var unmasked = RawSocket.TextFrame("""{"type":"no.such.request","rid":"unmasked"}""", masked: false);
        await socket.SendAsync(unmasked[..1]);
        await socket.SendAsync(unmasked[1..]);

        var (replies, closeCode) = await socket.ReadUntilClosedAsync();
        Assert.Equal(ProtocolError, closeCode);
        Assert.DoesNotContain(replies, r => r.Contains("\"rid\":\"unmasked\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unmasked_hello_ends_the_connection_unanswered()
    {
        var token = await WireClient.LoginAsync(Server, Unique("a"));
        using var socket = await RawSocket.UpgradeAsync(Server);
        await socket.SendAsync(RawSocket.TextFrame($$"""{"type":"hello","token":"{{token}}"}""", masked: false));
        // Before the hello the connection is cut without a close frame (RFC 6455 allows either): no welcome, in any case.
        Assert.Empty((await socket.ReadUntilClosedAsync()).Texts);
    }
}
