namespace Parley.Core.Media;

/// <summary>
/// A resumable (tus) upload as recorded when it was created, and, once its last byte arrived and it became a media,
/// that media's id. How many bytes it holds is not recorded here: it is the length of its data file.
/// </summary>
/// <param name="Id">The upload's id: 32 lowercase hex digits, random (it is the upload's URL, so it must not be guessable).</param>
/// <param name="Owner">The username of the uploader: nobody else sees or continues it.</param>
/// <param name="Mime">The declared type (the <c>filetype</c> metadata), checked against the bytes at the end.</param>
/// <param name="Length">The whole upload's length in bytes (<c>Upload-Length</c>).</param>
/// <param name="Metadata">The <c>Upload-Metadata</c> header as the client sent it, echoed by HEAD; null when absent.</param>
/// <param name="CreatedAt">When it was created (Unix ms).</param>
/// <param name="MediaId">The media it became; null while it is unfinished.</param>
public sealed record ResumableUpload(string Id, string Owner, string Mime, long Length, string? Metadata, long CreatedAt, string? MediaId)
{
    /// <summary>The length of an upload id.</summary>
    public const int IdLength = 32;

    /// <summary>Whether <paramref name="id"/> has the shape of an upload id (so that it can name a file safely).</summary>
    public static bool IsValidId(string? id) => id is { Length: IdLength } && MediaIds.IsLowerHex(id);
}
