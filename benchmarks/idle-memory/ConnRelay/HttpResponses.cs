using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace ConnRelay;

/// <summary>The three HTTP/1.1 responses this relay writes itself: the 101, a 400 and the stats.</summary>
internal static class HttpResponses
{
    public static ValueTask<FlushResult> SwitchingProtocolsAsync(PipeWriter output, string acceptKey, CancellationToken cancellationToken) =>
        output.WriteAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {acceptKey}\r\n\r\n"), cancellationToken);

    /// <summary>A 400 that ends the connection; it names the one version spoken, as RFC 6455 section 4.2.2 asks.</summary>
    public static ValueTask<FlushResult> BadRequestAsync(PipeWriter output, string problem, CancellationToken cancellationToken) =>
        TextAsync(output, "400 Bad Request", "Sec-WebSocket-Version: 13\r\n", problem + "\n", cancellationToken);

    public static ValueTask<FlushResult> OkAsync(PipeWriter output, string body, CancellationToken cancellationToken) =>
        TextAsync(output, "200 OK", "", body, cancellationToken);

    private static ValueTask<FlushResult> TextAsync(PipeWriter output, string status, string extraHeaders, string body, CancellationToken cancellationToken)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n{extraHeaders}Content-Length: {content.Length}\r\nConnection: close\r\n\r\n");
        output.Write(head);
        return output.WriteAsync(content, cancellationToken);
    }
}
