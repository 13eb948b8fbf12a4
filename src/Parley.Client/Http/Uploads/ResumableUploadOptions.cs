namespace Parley.Client.Http.Uploads;

/// <summary>
/// How <see cref="ParleyHttpClient"/> uploads large files: resumably (tus 1.0.0 at <c>/v1/uploads</c>), in chunks, trying
/// again after a dropped connection from where the server's bytes end.
/// </summary>
public sealed class ResumableUploadOptions
{
    /// <summary>
    /// Files of at least this many bytes go through <c>/v1/uploads</c> when <see cref="ParleyHttpClient.UploadMediaAsync(string, Stream, string, IProgress{UploadProgress}?, CancellationToken)"/>
    /// is given a seekable stream; smaller ones (and streams that cannot seek back) are one <c>POST /v1/media</c>.
    /// Default 4 MiB. <see cref="long.MaxValue"/> turns resumable uploads off.
    /// </summary>
    public long Threshold { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most bytes one <c>PATCH</c> carries. A smaller chunk loses less time to a slow link's timeout
    /// (<see cref="HttpClient.Timeout"/> bounds every request) and gives the server's offset more often. Default 4 MiB.
    /// </summary>
    public int ChunkSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The waits before each new try after a failure that may pass (a dropped or refused connection, a timeout, 409, 423,
    /// 429, 5xx): one entry per try, so their number bounds the tries in a row. A try that moved the upload on starts
    /// the count again. Default 0.5 s, 1 s, 2 s, 4 s, 8 s.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } =
        [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    /// <summary>How long the <c>DELETE</c> that ends a cancelled upload on the server may take (best effort). Default 5 s.</summary>
    public TimeSpan CancelTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
