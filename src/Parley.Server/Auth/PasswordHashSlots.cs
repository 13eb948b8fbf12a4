using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Parley.Server.Auth;

/// <summary>
/// Turns for computing password hashes, on this node. A hash costs hundreds of milliseconds of one core by design; without
/// a cap, a burst of logins (many addresses, many names) would take every core from the chat. At most
/// <c>MaxConcurrentHashes</c> run at once, <c>HashQueueLimit</c> wait, none longer than <c>HashQueueTimeout</c>.
/// </summary>
internal sealed class PasswordHashSlots : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _queueTimeout;

    public PasswordHashSlots(IOptions<AuthOptions> options)
    {
        var o = options.Value;
        _queueTimeout = o.HashQueueTimeout;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.EffectiveMaxConcurrentHashes,
            QueueLimit = o.HashQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>A slot, to be disposed once the hashing is done; null when none came in time (the caller answers 503).</summary>
    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_queueTimeout);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
