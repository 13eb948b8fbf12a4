using SkiaSharp;

namespace Parley.Web.Tests.Support;

/// <summary>Real pictures for the upload tests, made in the test.</summary>
public static class Pictures
{
    /// <summary>A 1200x800 picture: a sky, a sea and a sun, encoded as PNG.</summary>
    public static byte[] Sunset()
    {
        using var surface = SKSurface.Create(new SKImageInfo(1200, 800));
        var canvas = surface.Canvas;
        using (var sky = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, 520), [new SKColor(0xff, 0x8a, 0x65), new SKColor(0xff, 0xd5, 0x4f)], SKShaderTileMode.Clamp) })
            canvas.DrawRect(0, 0, 1200, 520, sky);
        using (var sun = new SKPaint { Color = new SKColor(0xff, 0xf3, 0xe0), IsAntialias = true })
            canvas.DrawCircle(820, 430, 110, sun);
        using (var sea = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 520), new SKPoint(0, 800), [new SKColor(0x02, 0x88, 0xd1), new SKColor(0x01, 0x57, 0x9b)], SKShaderTileMode.Clamp) })
            canvas.DrawRect(0, 520, 1200, 280, sea);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
