using Parley.Protocol;

namespace Parley.Server.Gateway;

/// <summary>
/// An upgrade refused before it happens, as both entry paths answer it: 403 without a body for a foreign Origin, else
/// the status with Retry-After and the protocol's error body (<c>code</c>, <c>message</c>, <c>retryAfterMs</c>).
/// </summary>
internal sealed record UpgradeRefusal(int Status, string Code = "", string Message = "", TimeSpan RetryAfter = default)
{
    public static readonly UpgradeRefusal ForeignOrigin = new(StatusCodes.Status403Forbidden);

    public bool HasBody => Code.Length > 0;

    public static UpgradeRefusal Overloaded(TimeSpan retryAfter) =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Overloaded, Http.HttpErrors.OverloadedMessage, retryAfter);

    public static readonly UpgradeRefusal TooManyPending = new(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
        "too many sockets from this address are waiting for their hello", TimeSpan.FromSeconds(1));
}
