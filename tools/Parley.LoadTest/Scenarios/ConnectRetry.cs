using Parley.Client;
using Parley.Protocol;

namespace Parley.LoadTest.Scenarios;

/// <summary>
/// How the load tool connects a client when a server may be behind: an upgrade the server refused (503 <c>overloaded</c>,
/// 429 <c>rate_limited</c>) is tried again after its Retry-After plus up to as much again at random, for as long as the
/// caller's token allows; an attempt that failed (<c>unreachable</c>: refused, reset, no welcome in time) is tried again
/// after an exponential backoff with jitter, up to <c>maxFailures</c> attempts. Counts both, for the report.
/// </summary>
public sealed class ConnectRetry
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryAfterUnsaid = TimeSpan.FromSeconds(1);

    private long _refused;
    private long _failed;

    /// <summary>Upgrades the server refused with 503 or 429 (each one waited for and tried again).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Attempts that failed otherwise and were tried again.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Connects <paramref name="client"/>; throws what the last attempt threw once <paramref name="maxFailures"/> attempts failed, or a refusal would outlast the token.</summary>
    public async Task ConnectAsync(ParleyClient client, int maxFailures, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                await client.ConnectAsync(cancellationToken);
                return;
            }
            catch (ParleyException e) when (e.Code is ErrorCodes.Overloaded or ErrorCodes.RateLimited)
            {
                Interlocked.Increment(ref _refused);
                var after = e.RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : RetryAfterUnsaid;
                await Task.Delay(after + after * Random.Shared.NextDouble(), cancellationToken);
            }
            catch (ParleyException e) when (e.Code == ClientErrorCodes.Unreachable && ++failures < maxFailures)
            {
                Interlocked.Increment(ref _failed);
                var step = Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks * Math.Pow(2, Math.Min(failures - 1, 20)));
                await Task.Delay(TimeSpan.FromTicks((long)(step / 2 * (1 + Random.Shared.NextDouble()))), cancellationToken);
            }
        }
    }
}
