using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Parley.Server.Media;

/// <summary>
/// A video's first frame as a JPEG thumbnail, through ffmpeg when it is installed. ffmpeg is optional: without it
/// (or when it fails on a file) a video simply has no thumbnail.
/// The file is untrusted: ffmpeg is told its container (no format guessing: the bytes were checked against the
/// type), may open only local files (no URLs a crafted file could name), decodes with one thread and no audio, and
/// runs under kernel limits on CPU time and address space (set by the shell that starts it, on Linux) as well as a
/// wall-clock timeout.
/// </summary>
internal sealed partial class VideoThumbnailer
{
    private readonly string? _ffmpeg;
    private readonly TimeSpan _timeout;
    private readonly int _cpuSeconds;
    private readonly long _memoryBytes;
    private readonly ThumbnailSlots _slots;
    private readonly ILogger<VideoThumbnailer> _logger;

    public VideoThumbnailer(ThumbnailSlots slots, IOptions<MediaOptions> options, ILogger<VideoThumbnailer> logger)
    {
        _slots = slots;
        _logger = logger;
        _timeout = options.Value.FfmpegTimeout;
        _cpuSeconds = options.Value.FfmpegCpuSeconds;
        _memoryBytes = options.Value.FfmpegMemoryBytes;
        _ffmpeg = Find(options.Value.Ffmpeg);
        if (_ffmpeg is null) LogNoFfmpeg(logger);
    }

    /// <summary>Whether thumbnails can be made at all.</summary>
    public bool IsAvailable => _ffmpeg is not null;

    public async Task<bool> TryWriteAsync(string user, string mime, string videoPath, string thumbnailPath, CancellationToken cancellationToken)
    {
        if (_ffmpeg is null || Demuxer(mime) is not { } demuxer) return false;
        return await _slots.RunAsync(user, () => RunAsync(_ffmpeg, demuxer, videoPath, thumbnailPath, cancellationToken), cancellationToken);
    }

    /// <summary>ffmpeg's demuxer for a video type the sniffer accepted: the container is stated, never guessed.</summary>
    private static string? Demuxer(string mime) => mime switch
    {
        MediaSniffer.Mp4 or MediaSniffer.QuickTime => "mov",
        MediaSniffer.Webm => "matroska",
        _ => null,
    };

    private async Task<bool> RunAsync(string ffmpeg, string demuxer, string videoPath, string thumbnailPath, CancellationToken cancellationToken)
    {
        var side = ImageInspector.ThumbnailSide;
        string[] arguments = ["-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file", "-threads", "1",
            "-f", demuxer, "-i", "file:" + videoPath, "-an", "-sn", "-dn", "-frames:v", "1",
            "-vf", $"scale={side}:{side}:force_original_aspect_ratio=decrease", "-f", "mjpeg", "-q:v", "5", "-y", "file:" + thumbnailPath];
        var psi = Limited(ffmpeg, arguments);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
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

    /// <summary>
    /// ffmpeg under RLIMIT_CPU and RLIMIT_AS: .NET cannot set a child's limits, so on Linux a shell sets them on itself
    /// and then becomes ffmpeg (exec), with the arguments passed through untouched (never spliced into the script).
    /// </summary>
    private ProcessStartInfo Limited(string ffmpeg, string[] arguments)
    {
        ProcessStartInfo psi;
        if (OperatingSystem.IsLinux() && File.Exists("/bin/sh"))
        {
            psi = new ProcessStartInfo("/bin/sh");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"ulimit -t {_cpuSeconds} && ulimit -v {_memoryBytes / 1024} && exec \"$0\" \"$@\""));
            psi.ArgumentList.Add(ffmpeg);
        }
        else
        {
            psi = new ProcessStartInfo(ffmpeg);
        }
        foreach (var arg in arguments) psi.ArgumentList.Add(arg);
        return psi;
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
