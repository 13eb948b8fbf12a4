using Parley.Server.RateLimits;

namespace Parley.Server.Media.Tus;

/// <summary>
/// The per-user upload limits (<see cref="UploadAllowance"/>: the hourly bytes and the quota of unused uploads) applied
/// when a resumable upload is created. Its bytes are counted against the rate then; against the quota they count once
/// the upload is finished and stored (an unfinished upload is bounded by its size limit and its expiry instead).
/// </summary>
internal sealed class UserUploadAllowance(UploadAllowance allowance) : IUploadAllowance
{
    public async ValueTask<UploadError?> CheckAsync(string user, long bytes, CancellationToken cancellationToken)
    {
        using var admission = await allowance.TryAdmitAsync(user, bytes, cancellationToken);
        return admission.Admitted ? null : new UploadError(admission.Status, admission.Code, admission.Message) { RetryAfter = admission.RetryAfter };
    }
}
