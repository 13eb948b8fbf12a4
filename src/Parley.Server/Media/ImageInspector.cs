using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Parley.Server.Media;

/// <summary>
/// Reads an image's dimensions from its header, refuses it when it has too many pixels (before decoding anything),
/// then decodes it, at a reduced scale where the format allows (JPEG, WebP), into a JPEG thumbnail. A decode that
/// fails or ends early means the file is truncated or corrupt, and the upload is refused.
/// </summary>
internal sealed class ImageInspector(ThumbnailSlots slots, IOptions<MediaOptions> options)
{
    /// <summary>The longest side of a thumbnail, as the protocol promises.</summary>
    public const int ThumbnailSide = 320;

    private const int JpegQuality = 80;
    private readonly long _maxPixels = options.Value.MaxImagePixels;

    public async Task<(MediaFacts? Facts, UploadError? Error)> InspectAsync(string user, string path, string thumbnailPath, CancellationToken cancellationToken)
    {
        // Creating a codec reads the header only.
        using var codec = SKCodec.Create(path);
        if (codec is null) return (null, UploadError.Corrupt);
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0) return (null, UploadError.Corrupt);
        if ((long)width * height > _maxPixels)
        {
            return (null, UploadError.TooLarge($"the image is {width}x{height} pixels; at most {_maxPixels} pixels are accepted"));
        }
        var made = await slots.RunAsync(user, () => Task.FromResult(WriteThumbnail(codec, thumbnailPath)), cancellationToken);
        return made ? (new MediaFacts(width, height, null, true), null) : (null, UploadError.Corrupt);
    }

    private static bool WriteThumbnail(SKCodec codec, string thumbnailPath)
    {
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var scale = Math.Min(1f, (float)ThumbnailSide / Math.Max(width, height));
        var (result, decoded) = Decode(codec, codec.GetScaledDimensions(scale));
        // Formats that cannot decode at a reduced scale say so; then the whole size is decoded.
        if (result == SKCodecResult.InvalidScale) (result, decoded) = Decode(codec, codec.Info.Size);
        if (decoded is null) return false;
        using (decoded) Encode(decoded, width, height, thumbnailPath);
        return true;
    }

    private static void Encode(SKBitmap decoded, int width, int height, string thumbnailPath)
    {
        var (thumbWidth, thumbHeight) = Fit(width, height);
        using var surface = SKSurface.Create(new SKImageInfo(thumbWidth, thumbHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        // JPEG has no transparency: transparent pixels become white rather than black.
        surface.Canvas.Clear(SKColors.White);
        using (var image = SKImage.FromBitmap(decoded))
        {
            surface.Canvas.DrawImage(image, new SKRect(0, 0, thumbWidth, thumbHeight), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        using var snapshot = surface.Snapshot();
        using var jpeg = snapshot.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        using var file = File.Create(thumbnailPath);
        jpeg.SaveTo(file);
    }

    /// <summary>The whole image decoded at <paramref name="size"/>; no bitmap unless the decode succeeded.</summary>
    private static (SKCodecResult Result, SKBitmap? Bitmap) Decode(SKCodec codec, SKSizeI size)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        // IncompleteInput (a truncated file) fills the missing rows with zeros; that is a refusal here, not a thumbnail.
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success) return (result, bitmap);
        bitmap.Dispose();
        return (result, null);
    }

    private static (int Width, int Height) Fit(int width, int height)
    {
        if (Math.Max(width, height) <= ThumbnailSide) return (width, height);
        return width >= height
            ? (ThumbnailSide, Math.Max(1, (int)Math.Round((double)height * ThumbnailSide / width)))
            : (Math.Max(1, (int)Math.Round((double)width * ThumbnailSide / height)), ThumbnailSide);
    }
}
