namespace Parley.Server.Media.Tus;

/// <summary>Parley:Uploads: resumable (tus) uploads at /v1/uploads. Their size limits are the media's (Parley:Media).</summary>
public sealed class UploadOptions
{
    public const string Section = "Parley:Uploads";

    /// <summary>
    /// An upload with no PATCH for this long is deleted, bytes and all (a finished one, this long after it finished;
    /// until then HEAD still tells its media id). The protocol promises at least 24 hours.
    /// </summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often expired uploads are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a request waits while another request (on another node: one on this node is stopped at once) is
    /// still writing the same upload, e.g. a PATCH whose client vanished without closing its connection, before it
    /// is answered 423.
    /// </summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(10);
}
