using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Parley.Testing;

/// <summary>PNG files built chunk by chunk, without an imaging library: a signature, then chunks with a CRC each.</summary>
public static class PngFiles
{
    /// <summary>A valid RGB PNG of <paramref name="width"/> x <paramref name="height"/>, one colour.</summary>
    public static byte[] Solid(int width, int height)
    {
        var row = new byte[1 + (width * 3)]; // filter type 0, then the pixels
        for (var x = 0; x < width; x++) row[1 + (x * 3)] = 200;
        var rows = new byte[row.Length * height];
        for (var y = 0; y < height; y++) row.CopyTo(rows, y * row.Length);
        return Rgb(width, height, rows);
    }

    /// <summary>
    /// An RGB PNG whose header declares <paramref name="width"/> x <paramref name="height"/> and whose image data is
    /// <paramref name="rows"/>, compressed as they are (they need not match the size the header declares).
    /// </summary>
    public static byte[] Rgb(int width, int height, byte[] rows)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(output, "IHDR", header);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(rows);
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        output.Write(four);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
