using Parley.Core.Media;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>
/// Media metadata, who uploaded what, and who may see it. The bytes are in <see cref="IMediaStore"/>; a message
/// references a media by id (<see cref="Messages.NewMessage.MediaId"/>).
/// A user may see a media that they uploaded, or that a non-expired message references in a conversation of
/// which they are a member (and that they joined before the message).
/// </summary>
public interface IMediaCatalog
{
    /// <summary>
    /// If the media is already stored, records <paramref name="uploader"/> as one of its uploaders and returns it;
    /// null when it is not stored (the caller then checks the bytes and calls <see cref="AddMediaAsync"/>).
    /// </summary>
    Task<StoredMedia?> TryAddUploaderAsync(string mediaId, Username uploader, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Records a newly stored media and its uploader. When another upload of the same bytes won the race, returns
    /// that one (whose blob differs from <paramref name="media"/>'s: the caller deletes its own).
    /// </summary>
    Task<StoredMedia> AddMediaAsync(StoredMedia media, Username uploader, long now, CancellationToken cancellationToken);

    /// <summary>The media, when <paramref name="user"/> may see it at <paramref name="now"/>; null when absent or hidden.</summary>
    Task<StoredMedia?> GetVisibleMediaAsync(string mediaId, Username user, long now, CancellationToken cancellationToken);

    /// <summary>The bytes of the media <paramref name="user"/> uploaded that no message uses now (what the unused-upload quota counts).</summary>
    Task<long> GetUnusedUploadBytesAsync(Username user, CancellationToken cancellationToken);

    /// <summary>
    /// Media that no live message references and that may go: referenced only by messages that expired or were
    /// deleted, or never referenced since their last upload before <paramref name="orphanBefore"/>. Oldest first.
    /// </summary>
    Task<IReadOnlyList<MediaSweepCandidate>> FindSweepableMediaAsync(long now, long orphanBefore, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the catalog rows of a candidate if it was not used since it was found and is still sweepable; true
    /// when deleted (the caller then deletes its blob).
    /// </summary>
    Task<bool> DeleteMediaIfSweepableAsync(MediaSweepCandidate candidate, long now, long orphanBefore, CancellationToken cancellationToken);
}
