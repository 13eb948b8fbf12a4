using System.Threading.RateLimiting;

namespace Parley.Server.RateLimits;

/// <summary>
/// One token bucket per key (a user, an address), created on first use. The partitioned limiter refills every bucket
/// from one timer and drops a bucket once it has been full (idle) for a few seconds, so memory follows the keys active
/// now, not every key ever seen.
/// </summary>
internal sealed class TokenBuckets : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly int _perSecond;

    public TokenBuckets(int perSecond, int burst)
    {
        _perSecond = perSecond;
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            // Without auto-replenishment the partitioned limiter's own timer refills each bucket in proportion to
            // the time passed, instead of one timer per bucket.
            AutoReplenishment = false,
            QueueLimit = 0,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => options));
    }

    /// <summary>Takes a token from <paramref name="key"/>'s bucket; when it is empty, null and how long until one is back.</summary>
    public bool TryTake(string key, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero
            ? after
            : TimeSpan.FromSeconds(1.0 / _perSecond);
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
