using Microsoft.Extensions.Options;
using Parley.Protocol;
using Parley.Server.Http;

namespace Parley.Server.RateLimits;

/// <summary>
/// The per-address limit on the account endpoints (registration, login, deletion: the ones that take a password),
/// answered with 429 <c>rate_limited</c> and a <c>Retry-After</c> header.
/// </summary>
internal sealed class AccountRateLimit : IDisposable
{
    private readonly TokenBuckets? _buckets;

    public AccountRateLimit(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        if (o.Enabled) _buckets = new TokenBuckets(o.AccountRequestsPerSecond, o.AccountRequestBurst);
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var address = context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "";
        if (_buckets is null || _buckets.TryTake(address, out var retryAfter)) return await next(context);
        context.HttpContext.RequestServices.GetRequiredService<Observability.ParleyMetrics>().RateLimited("account");
        return HttpErrors.RetryLater(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "too many account requests from this address", retryAfter);
    }

    public void Dispose() => _buckets?.Dispose();
}

internal static class AccountRateLimitFilter
{
    /// <summary>
    /// Puts the endpoint behind the per-address limit. The limiter is the one singleton (an endpoint filter type would
    /// be created per request, each with empty buckets).
    /// </summary>
    public static RouteHandlerBuilder WithAccountRateLimit(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<AccountRateLimit>().InvokeAsync(context, next));
}
