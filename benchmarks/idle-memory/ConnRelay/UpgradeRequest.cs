using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace ConnRelay;

/// <summary>
/// A connection's first request head, peeked at in the transport (RFC 6455 section 4.2.1): the request line, and of
/// the headers only Upgrade, Connection, Sec-WebSocket-Key and Sec-WebSocket-Version. Host, Origin, extensions and
/// subprotocols are read past: the kit's relay does not check them either, and none is accepted. A GET of /ws or
/// /stats is taken (its head consumed); anything else is left in the pipe untouched for Kestrel's HTTP/1.1 pipeline,
/// which is how a server keeps its HTTP API on the same port as sockets taken over at the connection level.
/// </summary>
internal sealed record UpgradeRequest(RequestKind Kind, string User = "", string AcceptKey = "", bool CollectFirst = false, string Problem = "")
{
    /// <summary>A longer head is left to Kestrel's HTTP/1.1 pipeline (which answers 431); a browser's upgrade is ~0.5 KiB.</summary>
    private const int MaxHeadBytes = 8 * 1024;

    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private static readonly UpgradeRequest ForHttp = new(RequestKind.Http);

    /// <summary>Reads the head; leaves anything after a taken head (a client may send its first frame at once) in the pipe.</summary>
    /// <returns>The request, or null when the client went away (or was too slow) before its head was complete.</returns>
    public static async Task<UpgradeRequest?> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        long examined = 0;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var request = Decide(input, result, ref examined);
            if (request is not null) return request;
            if (result.IsCompleted || result.IsCanceled) return null;
        }
    }

    /// <summary>
    /// The request once its head is complete (the pipe advanced accordingly), or null to wait for more. Nothing is
    /// consumed before the decision; a head left for HTTP is marked examined only as far as it was before this read,
    /// since a pipe's examined position cannot move back and HTTP's first read must not wait for bytes already there.
    /// </summary>
    private static UpgradeRequest? Decide(PipeReader input, ReadResult result, ref long examined)
    {
        var buffer = result.Buffer;
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true) && head.Length <= MaxHeadBytes)
        {
            var request = Parse(Encoding.Latin1.GetString(head));
            if (request.Kind == RequestKind.Http) input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            else input.AdvanceTo(reader.Position);
            return request;
        }
        if (buffer.Length > MaxHeadBytes)
        {
            input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            return ForHttp;
        }
        input.AdvanceTo(buffer.Start, buffer.End);
        examined = buffer.Length;
        return null;
    }

    private static UpgradeRequest Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0] != "GET") return ForHttp;
        var target = requestLine[1];
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var (path, query) = queryAt < 0 ? (target, "") : (target[..queryAt], target[(queryAt + 1)..]);
        if (path is not ("/ws" or "/stats")) return ForHttp;
        if (requestLine[2] != "HTTP/1.1") return Reject("a GET over HTTP/1.1 is expected");
        if (path == "/stats") return new UpgradeRequest(RequestKind.Stats, CollectFirst: QueryValue(query, "gc") == "1");

        bool upgradeWebSocket = false, connectionUpgrade = false;
        string? key = null, version = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            // No name, whitespace before the colon, or an obsolete folded line: RFC 9112 section 5 says reject.
            if (colon <= 0 || char.IsWhiteSpace(line[colon - 1]) || char.IsWhiteSpace(line[0])) return Reject("a malformed header line");
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)) upgradeWebSocket |= HasToken(value, "websocket");
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) connectionUpgrade |= HasToken(value, "upgrade");
            else if (name.Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))
            {
                if (key is not null) return Reject("Sec-WebSocket-Key is repeated");
                key = value;
            }
            else if (name.Equals("Sec-WebSocket-Version", StringComparison.OrdinalIgnoreCase))
            {
                if (version is not null) return Reject("Sec-WebSocket-Version is repeated");
                version = value;
            }
        }
        if (!upgradeWebSocket || !connectionUpgrade) return Reject("a WebSocket upgrade is expected here (Upgrade: websocket, Connection: Upgrade)");
        if (version != "13") return Reject("Sec-WebSocket-Version must be 13");
        Span<byte> nonce = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key, nonce, out var nonceLength) || nonceLength != 16)
        {
            return Reject("Sec-WebSocket-Key must be 16 bytes in base64");
        }
        var user = QueryValue(query, "user");
        if (string.IsNullOrEmpty(user)) return Reject("?user=NAME is required");
        return new UpgradeRequest(RequestKind.Upgrade, User: user, AcceptKey: AcceptKeyFor(key));
    }

    /// <summary>Sec-WebSocket-Accept: base64(SHA-1(key + the RFC's GUID)), section 4.2.2.</summary>
    private static string AcceptKeyFor(string key)
    {
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 prescribes here; it proves nothing about security and is not used for it
        var hash = SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    private static bool HasToken(string value, string token)
    {
        foreach (var part in value.Split(','))
        {
            if (part.Trim(' ', '\t').Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals == name.Length && pair.StartsWith(name, StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }
        return null;
    }

    private static UpgradeRequest Reject(string problem) => new(RequestKind.Rejected, Problem: problem);
}
