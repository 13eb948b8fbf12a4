using System.Globalization;

namespace Parley.Client.Transport;

/// <summary>
/// The server answered the WebSocket upgrade with 503 (<c>overloaded</c>) or 429 (<c>rate_limited</c>): it is there, and
/// asks to be tried again after <see cref="RetryAfter"/> (its Retry-After header, when it sent one).
/// </summary>
internal sealed class UpgradeRefusedException(int status, TimeSpan? retryAfter, Exception? innerException)
    : Exception(Describe(status, retryAfter), innerException)
{
    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The protocol's error code the status stands for.</summary>
    public string Code => Status == 429 ? Parley.Protocol.ErrorCodes.RateLimited : Parley.Protocol.ErrorCodes.Overloaded;

    /// <summary>A Retry-After value: delay-seconds or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static string Describe(int status, TimeSpan? retryAfter) =>
        $"the server refused the upgrade with {status}" + (retryAfter is { } after ? $"; retry after {after.TotalSeconds:0.###} s" : "");
}
