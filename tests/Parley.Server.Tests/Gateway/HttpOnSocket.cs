using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests.Gateway;

/// <summary>
/// Requests written by hand on one TCP connection, kept open between them, and the responses read with their headers:
/// which way an upgrade went shows in what Kestrel adds to every response it writes (<c>Server: Kestrel</c>), and the
/// connection-level gateway does not.
/// </summary>
internal sealed class HttpOnSocket : IDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;
    private readonly List<byte> _received = [];

    public static async Task<HttpOnSocket> ConnectAsync(ServerProcess server)
    {
        var connection = new HttpOnSocket();
        await connection._tcp.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(WireClient.Timeout);
        connection._stream = connection._tcp.GetStream();
        return connection;
    }

    /// <summary>A valid upgrade of <c>/v1/ws</c>, with these extra header lines (each ending in CRLF).</summary>
    public static string Upgrade(ServerProcess server, string extraHeaders = "") =>
        $"GET /v1/ws HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n";

    public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(WireClient.Timeout);

    /// <summary>Writes a request and reads its response.</summary>
    public async Task<HttpAnswer> ExchangeAsync(string request)
    {
        await WriteAsync(request);
        return await ReadAnswerAsync();
    }

    /// <summary>The next response: its head, and its body by Content-Length or chunks (none for a 101).</summary>
    public async Task<HttpAnswer> ReadAnswerAsync()
    {
        var headEnd = await ReceiveUntilAsync(() => IndexOf(_received, "\r\n\r\n"u8));
        var head = Encoding.ASCII.GetString([.. _received[..headEnd]]);
        Consume(headEnd + 4);
        var answer = new HttpAnswer(int.Parse(head[9..12], CultureInfo.InvariantCulture), head, []);
        if (answer.Status == 101) return answer;
        if (string.Equals(answer.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new List<byte>();
            while (true)
            {
                var lineEnd = await ReceiveUntilAsync(() => IndexOf(_received, "\r\n"u8));
                var size = int.Parse(Encoding.ASCII.GetString([.. _received[..lineEnd]]), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                await ReceiveUntilAsync(() => _received.Count >= lineEnd + 2 + size + 2 ? 0 : -1);
                body.AddRange(_received.GetRange(lineEnd + 2, size));
                Consume(lineEnd + 2 + size + 2);
                if (size == 0) return answer with { Body = [.. body] };
            }
        }
        var length = int.Parse(answer.Header("Content-Length") ?? "0", CultureInfo.InvariantCulture);
        await ReceiveUntilAsync(() => _received.Count >= length ? 0 : -1);
        var content = _received.GetRange(0, length).ToArray();
        Consume(length);
        return answer with { Body = content };
    }

    /// <summary>After a 101: says hello with <paramref name="token"/> and reads up to the welcome.</summary>
    public async Task HelloAsync(string token)
    {
        await SendTextAsync($$"""{"type":"hello","token":"{{token}}"}""");
        await ReceiveTextContainingAsync("\"welcome\"");
    }

    /// <summary>After a 101: sends a masked text frame.</summary>
    public Task SendTextAsync(string text) => WriteAsync(RawSocket.TextFrame(text, masked: true));

    /// <summary>After a 101: reads until the server's (unmasked) frames hold <paramref name="text"/>.</summary>
    public Task ReceiveTextContainingAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return ReceiveUntilAsync(() => IndexOf(_received, bytes));
    }


    /// <summary>
    /// After a 101: reads until the connection ends; the code of a close frame among the last bytes, or null when it
    /// ended without one (a reset can overtake a close frame the server had queued just before cutting the connection).
    /// </summary>
    public async Task<int?> ReadCloseCodeAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer).AsTask().WaitAsync(WireClient.Timeout) is var read and > 0) _received.AddRange(buffer.AsSpan(0, read));
        }
        catch (IOException)
        {
            // Reset: what came before it is in _received.
        }
        var at = IndexOf(_received, [0x88, 0x02]);
        return at >= 0 && _received.Count >= at + 4 ? (_received[at + 2] << 8) | _received[at + 3] : null;
    }

    /// <summary>Whether the server closed the connection (reading nothing more than an end of stream).</summary>
    public async Task<bool> ClosedAsync()
    {
        var buffer = new byte[256];
        try
        {
            return await _stream.ReadAsync(buffer).AsTask().WaitAsync(WireClient.Timeout) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _tcp.Dispose();

    /// <summary>Reads until <paramref name="found"/> gives a position (not -1).</summary>
    private async Task<int> ReceiveUntilAsync(Func<int> found)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var at = found();
            if (at >= 0) return at;
            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(WireClient.Timeout);
            if (read == 0) throw new EndOfStreamException("the server closed the connection: " + Encoding.ASCII.GetString([.. _received]));
            _received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private void Consume(int count) => _received.RemoveRange(0, count);

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) => bytes.ToArray().AsSpan().IndexOf(value);
}
