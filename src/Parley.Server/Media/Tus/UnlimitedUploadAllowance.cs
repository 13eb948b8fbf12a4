namespace Parley.Server.Media.Tus;

/// <summary>No per-user upload limit beyond the per-type size limits (until the per-user limits land).</summary>
internal sealed class UnlimitedUploadAllowance : IUploadAllowance
{
    public ValueTask<UploadError?> CheckAsync(string user, long bytes, CancellationToken cancellationToken) => ValueTask.FromResult<UploadError?>(null);
}
