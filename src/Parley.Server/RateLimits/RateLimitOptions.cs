using System.ComponentModel.DataAnnotations;

namespace Parley.Server.RateLimits;

/// <summary>
/// Parley:RateLimits: token buckets (each holding as many tokens as it refills per second, unless a burst is named).
/// Per user counts across the user's sockets on one node; per IP counts the account requests of one address.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Parley:RateLimits";

    /// <summary>Off: nothing is limited (for tests that drive many users from one address).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>send</c> requests per user per second, and the burst a user may send at once.</summary>
    [Range(1, 1_000_000)]
    public int SendsPerSecond { get; set; } = 50;

    /// <summary>Other requests (everything but <c>send</c>, <c>ack</c> and <c>hello</c>) per user per second, and their burst.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>Registrations, logins and account deletions per client IP address per second.</summary>
    [Range(1, 1_000_000)]
    public int AccountRequestsPerSecond { get; set; } = 10;

    /// <summary>Account requests one address may make at once before the per-second rate applies.</summary>
    [Range(1, 1_000_000)]
    public int AccountRequestBurst { get; set; } = 20;

    /// <summary>
    /// Bytes one user may upload per hour (a token bucket holding an hour's worth, refilled evenly). An upload is charged
    /// its Content-Length, or its type's limit when it has none, before its body is read.
    /// </summary>
    [Range(1024 * 1024, 1L << 40)]
    public long UploadBytesPerHour { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Bytes of one user's uploads that no message uses (those kept until the media sweep, Parley:Media:OrphanAge), plus
    /// the uploads under way; an upload that would pass it is refused with 413 until some are sent or swept.
    /// </summary>
    [Range(1024 * 1024, 1L << 40)]
    public long UnusedUploadBytes { get; set; } = 1024L * 1024 * 1024;
}
