using Microsoft.Extensions.Options;
using Parley.Core.Media;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Server.Media;

/// <summary>
/// One upload from body to catalog: streamed into staging (hashed, size-limited, type-checked), then, unless the
/// same bytes are already stored, inspected (dimensions, thumbnail), committed to the media store and recorded.
/// Whatever fails on the way, the staging files are removed.
/// </summary>
internal sealed partial class MediaUploads(
    IMediaStore store,
    IMediaCatalog catalog,
    ImageInspector images,
    VideoThumbnailer videoThumbnails,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<MediaUploads> logger)
{
    private readonly MediaOptions _options = options.Value;

    /// <summary>The family of <paramref name="mime"/> when it is an allowed type.</summary>
    public MediaKind? KindOf(string mime) =>
        _options.EffectiveAllowedTypes.Contains(mime, StringComparer.Ordinal) && MediaSniffer.Known.TryGetValue(mime, out var kind) ? kind : null;

    public long LimitOf(MediaKind kind) => _options.LimitOf(kind);

    public IReadOnlyList<string> AllowedTypes => _options.EffectiveAllowedTypes;

    public async Task<(StoredMedia? Media, UploadError? Error)> UploadAsync(string user, string mime, Stream body, CancellationToken cancellationToken)
    {
        var kind = KindOf(mime) ?? throw new ArgumentException($"{mime} is not allowed", nameof(mime));
        await using var staging = await store.StageAsync(cancellationToken);
        var (received, error) = await UploadReceiver.ReceiveAsync(body, staging, mime, LimitOf(kind), cancellationToken);
        if (received is null) return (null, error);
        return await StoreAsync(user, mime, kind, staging, received, cancellationToken);
    }

    /// <summary>
    /// A file staged in full by other means (a resumable upload): its leading bytes are checked against the type and
    /// it is hashed (unless <paramref name="sha256"/> already is its hash), then it goes on as a <c>POST /v1/media</c>
    /// upload does. The caller removes the staging files afterwards, whatever the outcome.
    /// </summary>
    public async Task<(StoredMedia? Media, UploadError? Error)> UploadStagedAsync(
        string user, string mime, MediaStaging staging, byte[]? sha256, CancellationToken cancellationToken)
    {
        var kind = KindOf(mime) ?? throw new ArgumentException($"{mime} is not allowed", nameof(mime));
        var (received, error) = await UploadReceiver.CheckStagedAsync(staging, mime, sha256, cancellationToken);
        if (received is null) return (null, error);
        return await StoreAsync(user, mime, kind, staging, received, cancellationToken);
    }

    /// <summary>Bytes staged in full, hashed and type-checked: deduplicated, or inspected, committed and recorded.</summary>
    private async Task<(StoredMedia? Media, UploadError? Error)> StoreAsync(
        string user, string mime, MediaKind kind, MediaStaging staging, ReceivedUpload received, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await catalog.TryAddUploaderAsync(received.MediaId, new Username(user), now, cancellationToken) is { } existing)
        {
            LogDeduplicated(logger, received.MediaId, user);
            return (existing, null);
        }

        var (facts, refused) = kind switch
        {
            MediaKind.Image => await images.InspectAsync(user, staging.FilePath, staging.ThumbnailPath, cancellationToken),
            MediaKind.Video => (await InspectVideoAsync(user, mime, staging, cancellationToken), null),
            // A document is only stored and served (as a download): nothing in it is read.
            _ => (new MediaFacts(null, null, null, false), null),
        };
        if (facts is null) return (null, refused);

        var blob = await store.CommitAsync(staging, received.MediaId, cancellationToken);
        var info = new MediaInfo(received.MediaId, mime, received.Size, facts.Width, facts.Height, facts.DurationMs, facts.Thumbnail);
        StoredMedia stored;
        try
        {
            stored = await catalog.AddMediaAsync(new StoredMedia(info, blob, now), new Username(user), now, cancellationToken);
        }
        catch
        {
            await store.DeleteAsync(blob, CancellationToken.None);
            throw;
        }
        // Another upload of the same bytes was recorded first (another node, or a concurrent request): its files are
        // the media's; these are a duplicate.
        if (stored.Blob != blob) await store.DeleteAsync(blob, CancellationToken.None);
        LogStored(logger, stored.Info.Id, mime, stored.Info.Size, user);
        return (stored, null);
    }

    private async Task<MediaFacts> InspectVideoAsync(string user, string mime, MediaStaging staging, CancellationToken cancellationToken)
    {
        var facts = mime is MediaSniffer.Mp4 or MediaSniffer.QuickTime ? Mp4Probe.Probe(staging.FilePath) : new MediaFacts(null, null, null, false);
        var thumbnail = await videoThumbnails.TryWriteAsync(user, mime, staging.FilePath, staging.ThumbnailPath, cancellationToken);
        return facts with { Thumbnail = thumbnail };
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Stored media {MediaId} ({Mime}, {Size} bytes) uploaded by {User}")]
    private static partial void LogStored(ILogger logger, string mediaId, string mime, long size, string user);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Media {MediaId} was already stored; {User} is recorded as an uploader")]
    private static partial void LogDeduplicated(ILogger logger, string mediaId, string user);
}
