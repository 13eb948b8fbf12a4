using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Server.Http;

namespace Parley.Server.RateLimits;

/// <summary>
/// The one place that says whether a user may upload N more bytes now, for every upload path (the one-shot
/// <c>POST /v1/media</c>, and resumable uploads): a per-user byte rate (<c>UploadBytesPerHour</c>), and a quota on the
/// bytes of the user's uploads that no message uses (<c>UnusedUploadBytes</c>), counting the uploads under way. An
/// admitted upload holds its bytes against the quota until its <see cref="UploadAdmission"/> is disposed (by then it
/// is stored, and counted by the store, or gone).
/// </summary>
internal sealed class UploadAllowance : IDisposable
{
    // The rate's bucket counts KiB: an hour's worth of bytes does not fit an int.
    private const int Unit = 1024;
    private readonly IMediaCatalog _catalog;
    private readonly TokenBuckets? _rate;
    private readonly long _quota;
    private readonly ConcurrentDictionary<string, long> _underWay = new(StringComparer.Ordinal);

    public UploadAllowance(IMediaCatalog catalog, IOptions<RateLimitOptions> options)
    {
        _catalog = catalog;
        var o = options.Value;
        _quota = o.UnusedUploadBytes;
        if (!o.Enabled) return;
        var perHour = (int)Math.Min(int.MaxValue, o.UploadBytesPerHour / Unit);
        _rate = new TokenBuckets(Math.Max(1, perHour / 3600), perHour);
    }

    /// <summary>
    /// Whether <paramref name="user"/> may upload <paramref name="bytes"/> now. Dispose the answer when the upload is over,
    /// admitted or not.
    /// </summary>
    public async Task<UploadAdmission> TryAdmitAsync(string user, long bytes, CancellationToken cancellationToken)
    {
        if (_rate is null) return UploadAdmission.Unlimited;
        var underWay = _underWay.AddOrUpdate(user, bytes, (_, held) => held + bytes);
        var admission = new UploadAdmission(this, user, bytes);
        var unused = await _catalog.GetUnusedUploadBytesAsync(new Username(user), cancellationToken);
        if (unused + underWay > _quota)
        {
            admission.Refuse(StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge,
                $"your uploads that no message uses would pass {_quota} bytes; send them, or wait until unused ones are deleted", null);
            return admission;
        }
        // A single upload larger than the bucket empties it.
        var tokens = (int)Math.Min(_rate.Burst, Math.Max(1, (bytes + Unit - 1) / Unit));
        if (!_rate.TryTake(user, tokens, out var retryAfter))
        {
            admission.Refuse(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "too many upload bytes this hour; retry later", retryAfter);
        }
        return admission;
    }

    internal void Release(string user, long bytes)
    {
        if (_underWay.AddOrUpdate(user, 0, (_, held) => held - bytes) <= 0) _underWay.TryRemove(new KeyValuePair<string, long>(user, 0));
    }

    public void Dispose() => _rate?.Dispose();
}

/// <summary>An upload's admission: whether it may go on, and if not the HTTP error that says why. Disposing it gives back its bytes.</summary>
internal sealed class UploadAdmission : IDisposable
{
    public static readonly UploadAdmission Unlimited = new(null, "", 0);

    private readonly UploadAllowance? _allowance;
    private readonly string _user;
    private readonly long _bytes;
    private int _released;

    internal UploadAdmission(UploadAllowance? allowance, string user, long bytes) => (_allowance, _user, _bytes) = (allowance, user, bytes);

    public bool Admitted => Status == 0;

    public int Status { get; private set; }

    public string Code { get; private set; } = "";

    public string Message { get; private set; } = "";

    public TimeSpan? RetryAfter { get; private set; }

    internal void Refuse(int status, string code, string message, TimeSpan? retryAfter) => (Status, Code, Message, RetryAfter) = (status, code, message, retryAfter);

    /// <summary>The refusal as an HTTP answer (with Retry-After when the rate refused it).</summary>
    public IResult ToResult(HttpContext context) => RetryAfter is { } after
        ? HttpErrors.RetryLater(context, Status, Code, Message, after)
        : HttpErrors.Error(Status, Code, Message);

    public void Dispose()
    {
        if (_allowance is not null && Interlocked.Exchange(ref _released, 1) == 0) _allowance.Release(_user, _bytes);
    }
}
