using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Parley.Server.Tests.Media;

/// <summary>Real media bytes made in the test: images encoded by SkiaSharp, containers built box by box.</summary>
internal static class MediaFiles
{
    /// <summary>A GIF89a of one pixel (the classic 43-byte one).</summary>
    public static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static byte[] Png(int width, int height, byte seed = 0) => Encode(width, height, SKEncodedImageFormat.Png, seed);

    public static byte[] Jpeg(int width, int height, byte seed = 0) => Encode(width, height, SKEncodedImageFormat.Jpeg, seed);

    public static byte[] Webp(int width, int height, byte seed = 0) => Encode(width, height, SKEncodedImageFormat.Webp, seed);

    /// <summary>A picture with some detail (a gradient and a circle), so that encoders produce real data; <paramref name="seed"/> varies it.</summary>
    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, byte seed)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(seed, 80, 200), new SKColor(250, 200, (byte)(255 - seed))], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            paint.Color = SKColors.Orange;
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 3f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>The decoded size of an image, as a client would see it.</summary>
    public static (int Width, int Height) SizeOf(byte[] image)
    {
        using var codec = SKCodec.Create(new MemoryStream(image)) ?? throw new InvalidDataException("not an image");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// A PNG whose header declares <paramref name="width"/> x <paramref name="height"/> but whose data is a small
    /// compressed run of zeros: decoding it fully would take width x height x 4 bytes.
    /// </summary>
    public static byte[] DecompressionBombPng(int width, int height) => Parley.Testing.PngFiles.Rgb(width, height, new byte[1 << 20]);

    /// <summary>
    /// The head of an MP4 file of <paramref name="totalBytes"/> bytes: ftyp, a moov declaring a
    /// <paramref name="width"/> x <paramref name="height"/> video of <paramref name="durationMs"/> ms, and the header of
    /// an mdat box that the remaining (zero) bytes fill.
    /// </summary>
    public static byte[] Mp4Head(long totalBytes, int width, int height, int durationMs)
    {
        var ftyp = Box("ftyp", [.. "isom"u8, 0, 0, 2, 0, .. "isomiso2mp41"u8]);
        var mvhd = new byte[100];
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(12), 1000); // timescale
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(16), (uint)durationMs);
        var tkhd = new byte[84];
        BinaryPrimitives.WriteUInt32BigEndian(tkhd.AsSpan(76), (uint)width << 16);
        BinaryPrimitives.WriteUInt32BigEndian(tkhd.AsSpan(80), (uint)height << 16);
        var moov = Box("moov", [.. Box("mvhd", mvhd), .. Box("trak", Box("tkhd", tkhd))]);
        var mdatHeader = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(mdatHeader, (uint)(totalBytes - ftyp.Length - moov.Length));
        "mdat"u8.CopyTo(mdatHeader.AsSpan(4));
        return [.. ftyp, .. moov, .. mdatHeader];
    }

    /// <summary>A whole MP4 (see <see cref="Mp4Head"/>) in memory.</summary>
    public static byte[] Mp4(int totalBytes, int width, int height, int durationMs)
    {
        var bytes = new byte[totalBytes];
        Mp4Head(totalBytes, width, height, durationMs).CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>The start of a WebM file: an EBML header whose DocType is webm, then some bytes.</summary>
    public static byte[] Webm() =>
        [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08,
         0x42, 0x82, 0x84, .. "webm"u8, 0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02, .. new byte[200]];

    private static byte[] Box(string type, byte[] content)
    {
        var box = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        content.CopyTo(box, 8);
        return box;
    }
}
