using Microsoft.Extensions.Options;
using Parley.Storage.LocalFiles;

namespace Parley.Server.Media.Tus;

/// <summary>
/// Deletes resumable uploads with no activity for <see cref="UploadOptions.Expiry"/>. Expiry is read from the files'
/// times, so a restart loses nothing, and every node sharing the media directory may sweep (an upload being
/// written is skipped).
/// </summary>
internal sealed partial class UploadSweeper(LocalUploadFiles files, IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadSweeper> logger)
    : Hosting.PeriodicSweeper(options.Value.SweepInterval, time)
{
    protected override async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await files.SweepAsync(Time.GetUtcNow() - options.Value.Expiry, cancellationToken);
            if (deleted > 0) LogSwept(logger, deleted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick tries again; an expired upload is merely kept a little longer.
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Swept {Count} expired resumable uploads")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Sweeping expired resumable uploads failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
