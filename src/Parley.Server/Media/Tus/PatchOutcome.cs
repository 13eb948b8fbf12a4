using Parley.Storage.LocalFiles;

namespace Parley.Server.Media.Tus;

/// <summary>How a request on an upload ended: a PATCH, or a HEAD or DELETE (which end only as Done, NotFound or Busy, or Refused when a HEAD finishes it).</summary>
internal enum PatchStatus
{
    /// <summary>Done: the bytes were appended (and, when they were the last, the upload became a media), or the upload read or deleted.</summary>
    Done,

    /// <summary>No such upload, or not the caller's.</summary>
    NotFound,

    /// <summary>Another request (on another node) still holds the upload.</summary>
    Busy,

    /// <summary><c>Upload-Offset</c> is not the upload's offset; nothing was written.</summary>
    OffsetMismatch,

    /// <summary>The body went past the upload's length; nothing of it was kept.</summary>
    TooLong,

    /// <summary>The body ended early (the client went away); what arrived was kept.</summary>
    Interrupted,

    /// <summary>A newer request on the same upload stopped this one; what arrived was kept.</summary>
    Superseded,

    /// <summary>Every byte arrived, but they cannot become a media (wrong type, corrupt); the upload is gone.</summary>
    Refused,
}

/// <summary>A request's outcome: the upload afterwards, or the error that refused it.</summary>
internal sealed record PatchOutcome(PatchStatus Status, UploadState? State = null, UploadError? Error = null);
