using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Retention;

/// <summary>Parley:Retention: the longest ttl, and the sweeper that deletes expired messages.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Parley:Retention";

    /// <summary>How often expired messages are deleted from storage (they are never served once expired).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages deleted per transaction; a sweep runs batches until none is left.</summary>
    public int SweepBatchSize { get; set; } = 1000;

    /// <summary>
    /// The longest <c>ttl</c> a <c>send</c> or <c>retention</c> may give, in seconds (a year); longer is <c>bad_request</c>.
    /// Unbounded, <c>ts + ttl * 1000</c> could overflow and a "permanent-looking" retention expire at once. Permanent is
    /// <c>ttl: null</c>. At most 100 years, which keeps every expiry far inside a 64-bit millisecond time.
    /// </summary>
    [Range(1, 100L * 365 * 24 * 3600)]
    public long MaxTtlSeconds { get; set; } = 365L * 24 * 3600;
}
