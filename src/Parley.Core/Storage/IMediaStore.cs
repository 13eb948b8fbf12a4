using Parley.Core.Media;

namespace Parley.Core.Storage;

/// <summary>
/// Where media bytes live (a local or shared directory by default). Bytes are staged in local files while they
/// arrive and are checked, then committed under a blob name; the catalog (<see cref="IMediaCatalog"/>) says
/// which blob holds which media. Several nodes may share one store: a commit is an atomic rename, and every
/// commit gets a blob name of its own, so concurrent identical uploads and a sweep never remove each other's file.
/// </summary>
public interface IMediaStore
{
    /// <summary>New staging files for an upload.</summary>
    ValueTask<MediaStaging> StageAsync(CancellationToken cancellationToken);

    /// <summary>Moves the staged file (and its thumbnail, if one was written) into the store; returns the blob name.</summary>
    ValueTask<string> CommitAsync(MediaStaging staging, string mediaId, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading (seekable, for range requests); null when it is not there.</summary>
    ValueTask<Stream?> OpenReadAsync(string blob, MediaVariant variant, CancellationToken cancellationToken);

    /// <summary>Removes a blob and its thumbnail; a blob already gone is not an error.</summary>
    ValueTask DeleteAsync(string blob, CancellationToken cancellationToken);

    /// <summary>Removes staging files older than <paramref name="olderThan"/>, left by uploads of a process that died.</summary>
    ValueTask<int> DeleteStaleStagingAsync(TimeSpan olderThan, CancellationToken cancellationToken);
}
