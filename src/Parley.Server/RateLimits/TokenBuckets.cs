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

    /// <summary>The most tokens a bucket holds.</summary>
    public int Burst { get; }

    public TokenBuckets(int perSecond, int burst)
    {
        Burst = burst;
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

    /// <summary>Takes a token from <paramref name="key"/>'s bucket; when it is empty, false and how long until one is back.</summary>
    public bool TryTake(string key, out TimeSpan retryAfter) => TryTake(key, 1, out retryAfter);

    /// <summary>Takes <paramref name="tokens"/> (at most <see cref="Burst"/>) from <paramref name="key"/>'s bucket; when it has fewer, false and how long until it has them.</summary>
    public bool TryTake(string key, int tokens, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(key, tokens);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero
            ? after
            : TimeSpan.FromSeconds((double)tokens / _perSecond);
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
