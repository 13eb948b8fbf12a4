using System.Buffers;
using System.Text;

namespace Parley.Server.Media;

/// <summary>Whether leading bytes read as plain text: valid UTF-8 without control bytes other than whitespace.</summary>
internal static class PlainText
{
    /// <summary>
    /// True when <paramref name="head"/> is UTF-8 text. A character cut at the end of the head is fine unless
    /// <paramref name="whole"/> says the head is the whole file. Binary files (executables, archives, images) have
    /// NUL or invalid sequences within their first bytes, so this keeps them from being sent as text.
    /// </summary>
    public static bool Looks(ReadOnlySpan<byte> head, bool whole)
    {
        while (!head.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(head, out var rune, out var used);
            if (status == OperationStatus.NeedMoreData) return !whole;
            if (status != OperationStatus.Done || IsControl(rune.Value)) return false;
            head = head[used..];
        }
        return true;
    }

    // Tab, line feed, form feed, carriage return and escape (coloured logs) occur in text files; the other C0 bytes
    // and DEL do not.
    private static bool IsControl(int c) => (c < 0x20 && c is not ('\t' or '\n' or '\f' or '\r' or 0x1B)) || c == 0x7F;
}
