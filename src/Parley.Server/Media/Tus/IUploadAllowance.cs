namespace Parley.Server.Media.Tus;

/// <summary>
/// Whether a user may start an upload of so many bytes now (an upload rate, a quota of unused uploads): the server
/// registers <see cref="UserUploadAllowance"/> unless another is registered first.
/// </summary>
internal interface IUploadAllowance
{
    /// <summary>Null when <paramref name="user"/> may upload <paramref name="bytes"/> more bytes now; otherwise the error to answer.</summary>
    ValueTask<UploadError?> CheckAsync(string user, long bytes, CancellationToken cancellationToken);
}
