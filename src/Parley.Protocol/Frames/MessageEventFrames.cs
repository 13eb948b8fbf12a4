using System.Buffers.Text;
using System.Diagnostics;

namespace Parley.Protocol.Frames;

/// <summary>
/// One message's <c>message</c> event, written once, for many inboxes: <see cref="For"/> gives the frame with a given
/// <c>seq</c> by copying the bytes around it, instead of writing every field (and the body) again per member.
/// </summary>
public sealed class MessageEventFrames
{
    // What MessageEvent writes before the seq's digits; seq is its second field.
    private static readonly byte[] Head = """{"type":"message","seq":"""u8.ToArray();

    private readonly byte[] _tail;

    /// <param name="withSeqZero">The frame <see cref="ServerFrameWriter.MessageEvent"/> wrote with seq 0.</param>
    internal MessageEventFrames(byte[] withSeqZero)
    {
        Debug.Assert(withSeqZero.AsSpan().StartsWith(Head) && withSeqZero[Head.Length] == (byte)'0', "a message event starts with its type and seq");
        _tail = withSeqZero[(Head.Length + 1)..];
    }

    /// <summary>The frame with <paramref name="seq"/>.</summary>
    public byte[] For(long seq)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, digits, out var length);
        var frame = new byte[Head.Length + length + _tail.Length];
        Head.CopyTo(frame, 0);
        digits[..length].CopyTo(frame.AsSpan(Head.Length));
        _tail.CopyTo(frame, Head.Length + length);
        return frame;
    }
}
