using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Parley.Server.Gateway;

/// <summary>
/// A connection's first request head, peeked at in the transport: a <c>GET /v1/ws</c> WebSocket upgrade (RFC 6455
/// section 4.2.1) that the gateway takes at the connection level, with the headers its checks read. Anything else is
/// left in the pipe untouched for Kestrel's HTTP/1.1, which answers it exactly as it always did: another request, a
/// malformed or unusual head (Kestrel's 400 or 431 then), an upgrade that is not quite valid (the endpoint's 400), TLS
/// and HTTP/2 bytes (which differ from <c>GET /v1/ws</c> at the first byte, so they are passed on at once).
/// </summary>
internal sealed record UpgradeRequest(string Host, string Origin, string AcceptKey, StringValues ForwardedFor)
{
    /// <summary>A longer head goes on to HTTP/1.1, which applies its own limits; a browser's upgrade is ~0.5 KiB.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Prefix = "GET /v1/ws"u8.ToArray();

    /// <summary>
    /// Reads until the head is complete or clearly not ours; leaves anything after a taken head (a client may send its
    /// first frame at once) in the pipe. Null means the connection is for HTTP/1.1 (the pipe as it was); a cancellation
    /// (the head took too long) or the client's end of the stream also leave the pipe to HTTP/1.1, as the caller decides.
    /// </summary>
    public static async ValueTask<UpgradeRequest?> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        long examined = 0;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            if (Decide(input, result, ref examined, out var request)) return request;
            if (result.IsCompleted || result.IsCanceled) return null;
        }
    }

    /// <summary>
    /// True once decided (the pipe advanced accordingly); false to wait for more. Nothing is consumed unless the head
    /// is taken. A head left for HTTP is marked examined only as far as it was before this read: a pipe's examined
    /// position may not move back, and HTTP's first read must not wait for bytes that are already there.
    /// </summary>
    private static bool Decide(PipeReader input, ReadResult result, ref long examined, out UpgradeRequest? request)
    {
        var buffer = result.Buffer;
        request = null;
        if (!StartsAsOurs(buffer))
        {
            input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            return true;
        }
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true) && head.Length <= MaxHeadBytes)
        {
            request = Parse(Encoding.Latin1.GetString(head));
            if (request is null) input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            else input.AdvanceTo(reader.Position);
            return true;
        }
        if (buffer.Length > MaxHeadBytes)
        {
            input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            return true;
        }
        input.AdvanceTo(buffer.Start, buffer.End);
        examined = buffer.Length;
        return false;
    }

    /// <summary>Whether the bytes so far agree with <c>GET /v1/ws</c> followed by a space or a query.</summary>
    private static bool StartsAsOurs(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[Prefix.Length + 1];
        var length = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, length).CopyTo(start);
        if (!start[..Math.Min(length, Prefix.Length)].SequenceEqual(Prefix.AsSpan(0, Math.Min(length, Prefix.Length)))) return false;
        return length <= Prefix.Length || start[Prefix.Length] is (byte)' ' or (byte)'?';
    }

    /// <summary>The upgrade, or null for anything the endpoint (or Kestrel) should answer instead.</summary>
    internal static UpgradeRequest? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[2] != "HTTP/1.1" || !IsVisibleAscii(requestLine[1])) return null;

        bool upgradeWebSocket = false, connectionUpgrade = false;
        string? host = null, origin = null, key = null, version = null;
        var forwardedFor = StringValues.Empty;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            // No name, a name that is not a token (whitespace before the colon, an obsolete folded line), or a value with
            // control or non-ASCII bytes: Kestrel answers those with 400, so they are left to it.
            if (colon <= 0 || !IsToken(line.AsSpan(0, colon))) return null;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (!IsFieldValue(value)) return null;
            if (Is(name, "Upgrade")) upgradeWebSocket |= HasToken(value, "websocket");
            else if (Is(name, "Connection")) connectionUpgrade |= HasToken(value, "upgrade");
            else if (Is(name, "Host") && !Once(ref host, value)) return null;
            else if (Is(name, "Origin") && !Once(ref origin, value)) return null;
            else if (Is(name, "Sec-WebSocket-Key") && !Once(ref key, value)) return null;
            else if (Is(name, "Sec-WebSocket-Version") && !Once(ref version, value)) return null;
            else if (Is(name, "X-Forwarded-For")) forwardedFor = StringValues.Concat(forwardedFor, value);
            // A GET with a body is not an upgrade Parley's clients send; HTTP/1.1 knows how to read past it.
            else if (Is(name, "Content-Length") || Is(name, "Transfer-Encoding")) return null;
        }
        if (!upgradeWebSocket || !connectionUpgrade || version != "13" || host is null || !IsAuthority(host)) return null;
        Span<byte> nonce = stackalloc byte[24];
        if (key is null || !Convert.TryFromBase64String(key, nonce, out var nonceLength) || nonceLength != 16) return null;
        return new UpgradeRequest(host, origin ?? "", AcceptKeyFor(key), forwardedFor);
    }

    /// <summary>Sec-WebSocket-Accept: base64(SHA-1(key + the RFC's GUID)), section 4.2.2.</summary>
    private static string AcceptKeyFor(string key)
    {
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 prescribes here; it proves nothing about security and is not used for it
        var hash = SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    private static bool Is(string name, string expected) => name.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Keeps the header's value; false when it came before (a repeated Host, Origin or key is left to HTTP).</summary>
    private static bool Once(ref string? slot, string value)
    {
        if (slot is not null) return false;
        slot = value;
        return true;
    }

    private static bool HasToken(string value, string token)
    {
        foreach (var part in value.Split(','))
        {
            if (part.Trim(' ', '\t').Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static bool IsVisibleAscii(string text) => text.Length > 0 && text.All(c => c is > ' ' and < '\x7f');

    /// <summary>RFC 9110 token characters.</summary>
    private static bool IsToken(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))) return false;
        }
        return true;
    }

    private static bool IsFieldValue(string value) => value.All(c => c == '\t' || c is >= ' ' and < '\x7f');

    /// <summary>A host and optional port as a URI authority may hold them (Kestrel answers 400 to other Host values).</summary>
    private static bool IsAuthority(string host) =>
        host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:%[]".Contains(c, StringComparison.Ordinal));
}
