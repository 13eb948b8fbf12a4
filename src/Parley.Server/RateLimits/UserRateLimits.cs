using Microsoft.Extensions.Options;
using Parley.Protocol.Requests;

namespace Parley.Server.RateLimits;

/// <summary>
/// The per-user limits on WebSocket requests: one bucket for sends, one for everything else. Acks are never limited
/// (they only let the server forget what was delivered), nor is <c>hello</c>. The buckets are per node: a user with
/// sockets on several nodes of a cluster gets each node's allowance.
/// </summary>
internal sealed class UserRateLimits : IDisposable
{
    private readonly TokenBuckets? _sends;
    private readonly TokenBuckets? _requests;

    public UserRateLimits(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        _sends = new TokenBuckets(o.SendsPerSecond, o.SendsPerSecond);
        _requests = new TokenBuckets(o.RequestsPerSecond, o.RequestsPerSecond);
    }

    /// <summary>False when <paramref name="user"/> is over the limit for this request: it is refused before anything is done.</summary>
    public bool TryAdmit(string user, ClientRequest request, out TimeSpan retryAfter)
    {
        var buckets = request switch
        {
            AckRequest or HelloRequest => null,
            SendRequest => _sends,
            _ => _requests,
        };
        retryAfter = TimeSpan.Zero;
        return buckets is null || buckets.TryTake(user, out retryAfter);
    }

    public void Dispose()
    {
        _sends?.Dispose();
        _requests?.Dispose();
    }
}
