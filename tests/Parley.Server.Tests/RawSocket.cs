using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// A WebSocket client written by hand on a TCP socket, for what a real client library never does: stop
/// answering pings while keeping the connection open (a phone that lost its network), or vanish with a reset.
/// </summary>
internal sealed class RawSocket : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Upgrades, says hello and reads up to the welcome; after that it reads and answers nothing.</summary>
    public static async Task<RawSocket> HelloAsync(ServerProcess server, string token)
    {
        var socket = await UpgradeAsync(server);
        await socket.SendTextAsync($$"""{"type":"hello","token":"{{token}}"}""");
        await socket.NextTextAsync(text => text.Contains("\"welcome\"", StringComparison.Ordinal));
        return socket;
    }

    /// <summary>Connects and upgrades to a WebSocket; sends nothing more.</summary>
    public static async Task<RawSocket> UpgradeAsync(ServerProcess server)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(WireClient.Timeout);
        var socket = new RawSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var upgrade = $"GET /v1/ws HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade));
        Assert.StartsWith("HTTP/1.1 101", await socket.ReadHeadAsync(), StringComparison.Ordinal);
        return socket;
    }

    /// <summary>Drops the connection with a TCP reset: no close frame, no FIN handshake, like a killed process's kernel.</summary>
    public void Reset()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<string> ReadHeadAsync()
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await _stream.ReadAsync(one).AsTask().WaitAsync(WireClient.Timeout) == 0) throw new EndOfStreamException();
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString(head.ToArray());
    }

    /// <summary>Sends one text frame (masked, as a client must), under 64 KiB.</summary>
    public Task SendTextAsync(string text) => SendAsync(TextFrame(text, masked: true));

    /// <summary>Sends frames (<see cref="TextFrame"/>) in one write.</summary>
    public async Task SendAsync(params byte[][] frames) => await _stream.WriteAsync(frames.SelectMany(f => f).ToArray());

    /// <summary>A text frame under 64 KiB; <paramref name="masked"/> false breaks RFC 6455 5.1 on purpose.</summary>
    public static byte[] TextFrame(string text, bool masked)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var maskBit = masked ? 0x80 : 0;
        var frame = new List<byte> { 0x81 };
        if (payload.Length < 126)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        if (!masked) return [.. frame, .. payload];
        // Client frames are masked (RFC 6455 5.3).
        var mask = RandomNumberGenerator.GetBytes(4);
        frame.AddRange(mask);
        for (var i = 0; i < payload.Length; i++) frame.Add((byte)(payload[i] ^ mask[i % 4]));
        return [.. frame];
    }

    /// <summary>Reads frames until a text frame that <paramref name="match"/> accepts (within <see cref="WireClient.Timeout"/> per frame).</summary>
    public async Task<string> NextTextAsync(Func<string, bool> match)
    {
        while (true)
        {
            var (opcode, payload) = await ReadFrameAsync();
            if (opcode == 8) throw new EndOfStreamException("the server closed the connection");
            if (opcode == 1 && Encoding.UTF8.GetString(payload) is var text && match(text)) return text;
        }
    }

    /// <summary>
    /// Reads frames until the server ends the connection; returns the text frames read and the close frame's code (null
    /// when the connection ended without one). Fails if the connection is still open after <see cref="WireClient.Timeout"/>.
    /// </summary>
    public async Task<(List<string> Texts, int? CloseCode)> ReadUntilClosedAsync()
    {
        var texts = new List<string>();
        try
        {
            while (true)
            {
                var (opcode, payload) = await ReadFrameAsync();
                if (opcode == 8) return (texts, payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null);
                if (opcode == 1) texts.Add(Encoding.UTF8.GetString(payload));
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return (texts, null);
        }
    }

    private async Task<(int Opcode, byte[] Payload)> ReadFrameAsync()
    {
        var header = await ReadExactlyAsync(2);
        var opcode = header[0] & 0x0F;
        long length = header[1] & 0x7F;
        if (length == 126) length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2));
        else if (length == 127) length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8));
        return (opcode, await ReadExactlyAsync((int)length));
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(WireClient.Timeout);
        return buffer;
    }
}
