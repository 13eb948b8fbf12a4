using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Parley.Server.Media;

/// <summary>
/// A video's first frame as a JPEG thumbnail, through ffmpeg when it is installed. ffmpeg is optional: without it
/// (or when it fails on a file) a video simply has no thumbnail.
/// </summary>
internal sealed partial class VideoThumbnailer
{
    private readonly string? _ffmpeg;
    private readonly TimeSpan _timeout;
    private readonly ThumbnailSlots _slots;
    private readonly ILogger<VideoThumbnailer> _logger;

    public VideoThumbnailer(ThumbnailSlots slots, IOptions<MediaOptions> options, ILogger<VideoThumbnailer> logger)
    {
        _slots = slots;
        _logger = logger;
        _timeout = options.Value.FfmpegTimeout;
        _ffmpeg = Find(options.Value.Ffmpeg);
        if (_ffmpeg is null) LogNoFfmpeg(logger);
    }

    /// <summary>Whether thumbnails can be made at all.</summary>
    public bool IsAvailable => _ffmpeg is not null;

    public async Task<bool> TryWriteAsync(string videoPath, string thumbnailPath, CancellationToken cancellationToken)
    {
        if (_ffmpeg is null) return false;
        return await _slots.RunAsync(() => RunAsync(_ffmpeg, videoPath, thumbnailPath, cancellationToken), cancellationToken);
    }

    private async Task<bool> RunAsync(string ffmpeg, string videoPath, string thumbnailPath, CancellationToken cancellationToken)
    {
        var side = ImageInspector.ThumbnailSide;
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", "-i", videoPath, "-frames:v", "1",
            "-vf", $"scale={side}:{side}:force_original_aspect_ratio=decrease", "-f", "mjpeg", "-q:v", "5", "-y", thumbnailPath])
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi);
        if (process is null) return false;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            LogFfmpegFailed(_logger, -1, "timed out");
            return false;
        }
        if (process.ExitCode == 0 && new FileInfo(thumbnailPath) is { Exists: true, Length: > 0 }) return true;
        var text = await errors;
        LogFfmpegFailed(_logger, process.ExitCode, text);
        File.Delete(thumbnailPath);
        return false;
    }

    private static string? Find(string? ffmpeg)
    {
        if (string.IsNullOrWhiteSpace(ffmpeg)) return null;
        if (ffmpeg.Contains('/', StringComparison.Ordinal)) return File.Exists(ffmpeg) ? ffmpeg : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, ffmpeg)).FirstOrDefault(File.Exists);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "ffmpeg was not found: videos get no thumbnails (Parley:Media:Ffmpeg)")]
    private static partial void LogNoFfmpeg(ILogger logger);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "ffmpeg made no thumbnail (exit code {ExitCode}): {Errors}")]
    private static partial void LogFfmpegFailed(ILogger logger, int exitCode, string errors);
}
