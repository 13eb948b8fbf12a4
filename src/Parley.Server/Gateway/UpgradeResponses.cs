using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Parley.Server.Http;

namespace Parley.Server.Gateway;

/// <summary>
/// The HTTP/1.1 responses the connection-level gateway writes itself: the 101 (no subprotocol, no compression, as the
/// endpoint accepts), and the refusals with the endpoint's statuses, Retry-After and JSON bodies, after which the
/// connection is closed.
/// </summary>
internal static class UpgradeResponses
{
    public static ValueTask<FlushResult> SwitchingProtocolsAsync(PipeWriter output, string acceptKey, CancellationToken cancellationToken) =>
        output.WriteAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            $"Sec-WebSocket-Accept: {acceptKey}\r\n\r\n"), cancellationToken);

    public static ValueTask<FlushResult> RefusedAsync(PipeWriter output, UpgradeRefusal refusal, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}\r\n");
        byte[] body = [];
        if (refusal.HasBody)
        {
            body = HttpErrors.RetryLaterBody(refusal.Code, refusal.Message, refusal.RetryAfter);
            head.Append("Content-Type: application/json; charset=utf-8\r\n")
                .Append(CultureInfo.InvariantCulture, $"Retry-After: {HttpErrors.RetryAfterHeader(refusal.RetryAfter)}\r\n");
        }
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        output.Write(Encoding.ASCII.GetBytes(head.ToString()));
        return output.WriteAsync(body, cancellationToken);
    }
}
