using System.Net.Sockets;
using System.Text;

namespace Parley.Server.Tests.Media;

/// <summary>
/// An HTTP/1.1 request written by hand on a socket, for what HttpClient will not send: a Content-Length that the
/// body does not meet, a body cut off half way, a chunked body that keeps going.
/// </summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client = new();
    private NetworkStream? _stream;

    public static async Task<RawHttp> ConnectAsync(Uri server)
    {
        var raw = new RawHttp();
        await raw._client.ConnectAsync(server.Host, server.Port).WaitAsync(Timeout);
        raw._stream = raw._client.GetStream();
        return raw;
    }

    public async Task WriteAsync(string text) => await WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task WriteAsync(byte[] bytes) => await _stream!.WriteAsync(bytes).AsTask().WaitAsync(Timeout);

    /// <summary>Ends the request side (a FIN), leaving the response side open.</summary>
    public void EndRequest() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>
    /// The status code and body of the response, read to the end of its Content-Length or last chunk, or of the
    /// connection. A reset after the response has arrived ends it too: a server that closes with bytes of the request
    /// unread resets the connection, which is what it should do to a request it refused.
    /// </summary>
    public async Task<(int Status, string Body)> ReadResponseAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            if (Parse(Encoding.ASCII.GetString(received.ToArray()), complete: false) is { } response) return response;
            int read;
            try
            {
                read = await _stream!.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException) when (received.Length > 0)
            {
                read = 0;
            }
            if (read == 0)
            {
                return Parse(Encoding.ASCII.GetString(received.ToArray()), complete: true)
                    ?? throw new IOException("the connection closed before a whole response: " + Encoding.ASCII.GetString(received.ToArray()));
            }
            received.Write(buffer, 0, read);
        }
    }

    private static (int Status, string Body)? Parse(string text, bool complete)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var (headers, body) = (text[..end], text[(end + 4)..]);
        var status = int.Parse(text[9..12], System.Globalization.CultureInfo.InvariantCulture);
        if (ContentLength(headers) is { } length) return body.Length >= length ? (status, body[..length]) : complete ? (status, body) : null;
        if (!headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) return complete ? (status, body) : null;
        var decoded = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0) return complete ? (status, decoded.ToString()) : null;
            var size = int.Parse(body[position..lineEnd], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0) return (status, decoded.ToString());
            if (body.Length < lineEnd + 2 + size) return complete ? (status, decoded.ToString()) : null;
            decoded.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }

    private static int? ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
