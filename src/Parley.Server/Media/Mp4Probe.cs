using System.Buffers.Binary;

namespace Parley.Server.Media;

/// <summary>
/// Reads a video's duration and size from an MP4/QuickTime container: <c>moov/mvhd</c> (timescale and duration) and
/// the first <c>moov/trak/tkhd</c> with a non-zero size (the video track; audio tracks have none). Only box headers
/// and those two boxes are read, seeking past everything else, so a file whose <c>moov</c> comes after its media
/// data costs a few reads, not a scan.
/// </summary>
internal static class Mp4Probe
{
    // Bounds for a hostile file: boxes looked at on one level, and how deep.
    private const int MaxBoxesPerLevel = 4096;

    public static MediaFacts Probe(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var facts = new MediaFacts(null, null, null, false);
        foreach (var (type, start, end) in Boxes(file, 0, file.Length))
        {
            if (type == "moov") return ReadMovie(file, start, end);
        }
        return facts;
    }

    private static MediaFacts ReadMovie(FileStream file, long start, long end)
    {
        long? durationMs = null;
        (int Width, int Height)? size = null;
        foreach (var (type, boxStart, boxEnd) in Boxes(file, start, end))
        {
            if (type == "mvhd") durationMs = ReadDuration(file, boxStart, boxEnd);
            else if (type == "trak" && size is null)
            {
                foreach (var (inner, innerStart, innerEnd) in Boxes(file, boxStart, boxEnd))
                {
                    if (inner == "tkhd") size = ReadTrackSize(file, innerStart, innerEnd);
                }
            }
        }
        return new MediaFacts(size?.Width, size?.Height, durationMs, false);
    }

    private static long? ReadDuration(FileStream file, long start, long end)
    {
        Span<byte> b = stackalloc byte[32];
        if (!ReadAt(file, start, end, b)) return null;
        // version 1: 64-bit times and duration; version 0: 32-bit. Both after 4 bytes of version and flags.
        var (timescale, duration) = b[0] == 1
            ? (BinaryPrimitives.ReadUInt32BigEndian(b[20..]), BinaryPrimitives.ReadUInt64BigEndian(b[24..]))
            : (BinaryPrimitives.ReadUInt32BigEndian(b[12..]), BinaryPrimitives.ReadUInt32BigEndian(b[16..]));
        // All ones means "unknown".
        if (timescale == 0 || duration == ulong.MaxValue || (b[0] != 1 && duration == uint.MaxValue)) return null;
        return (long)(duration * 1000 / timescale);
    }

    private static (int, int)? ReadTrackSize(FileStream file, long start, long end)
    {
        Span<byte> version = stackalloc byte[1];
        if (!ReadAt(file, start, end, version)) return null;
        // Width and height (16.16 fixed point) come after the times, ids, duration, layer, volume and matrix.
        var offset = version[0] == 1 ? 88 : 76;
        Span<byte> b = stackalloc byte[8];
        if (!ReadAt(file, start + offset, end, b)) return null;
        var width = (int)(BinaryPrimitives.ReadUInt32BigEndian(b) >> 16);
        var height = (int)(BinaryPrimitives.ReadUInt32BigEndian(b[4..]) >> 16);
        return width > 0 && height > 0 ? (width, height) : null;
    }

    /// <summary>The boxes between <paramref name="start"/> and <paramref name="end"/>: type, and the range of their contents.</summary>
    private static IEnumerable<(string Type, long Start, long End)> Boxes(FileStream file, long start, long end)
    {
        var position = start;
        var header = new byte[16];
        for (var i = 0; i < MaxBoxesPerLevel && end - position >= 8; i++)
        {
            if (!ReadAt(file, position, end, header.AsSpan(0, 8))) yield break;
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            var headerLength = 8;
            if (size == 1)
            {
                if (!ReadAt(file, position + 8, end, header.AsSpan(8, 8))) yield break;
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)), long.MaxValue);
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = end - position;
            }
            if (size < headerLength || size > end - position) yield break;
            yield return (type, position + headerLength, position + size);
            position += size;
        }
    }

    private static bool ReadAt(FileStream file, long position, long end, Span<byte> into)
    {
        if (end - position < into.Length) return false;
        file.Position = position;
        file.ReadExactly(into);
        return true;
    }
}
