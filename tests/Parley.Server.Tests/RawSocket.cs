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
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(WireClient.Timeout);
        var socket = new RawSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var upgrade = $"GET /v1/ws HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade));
        var head = await socket.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        await socket.SendTextAsync($$"""{"type":"hello","token":"{{token}}"}""");
        while (true)
        {
            var (opcode, payload) = await socket.ReadFrameAsync();
            if (opcode == 1 && Encoding.UTF8.GetString(payload).Contains("\"welcome\"", StringComparison.Ordinal)) return socket;
        }
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
    public async Task SendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new List<byte> { 0x81 };
        // Client frames are masked (RFC 6455 5.3).
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.Add(0x80 | 126);
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        frame.AddRange(mask);
        for (var i = 0; i < payload.Length; i++) frame.Add((byte)(payload[i] ^ mask[i % 4]));
        await _stream.WriteAsync(frame.ToArray());
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
