using Microsoft.Extensions.Options;
using Parley.Server.Observability;
using Parley.Server.RateLimits;

namespace Parley.Server.Gateway;

/// <summary>
/// The checks before an upgrade, the same whichever way the upgrade came (Kestrel's HTTP/1.1 endpoint or the
/// connection-level gateway): the Origin, the node's admission control, then the client address's pending hellos.
/// Refusing here costs a few hundred bytes written and no work: no upgrade, no token check.
/// </summary>
internal sealed class UpgradeChecks(UpgradeAdmission admission, HandshakeSlots slots, IOptions<GatewayOptions> gateway, ParleyMetrics metrics)
{
    private readonly string[] _allowedOrigins = gateway.Value.AllowedOrigins;

    /// <summary>The tickets of an admitted upgrade, or null and the refusal to answer with.</summary>
    public UpgradeTickets? TryPass(string origin, string host, string clientAddress, out UpgradeRefusal? refusal)
    {
        if (!OriginAllowed(origin, host))
        {
            refusal = UpgradeRefusal.ForeignOrigin;
            return null;
        }
        // A node that is behind refuses here, before the upgrade and any token check.
        var admitted = admission.TryAdmit(out var retryAfter);
        if (admitted is null)
        {
            refusal = UpgradeRefusal.Overloaded(retryAfter);
            return null;
        }
        // Until its hello a socket is anonymous: each address may hold only a few such.
        var pending = slots.TryEnter(clientAddress);
        if (pending is null)
        {
            admitted.Dispose();
            metrics.UpgradeRefused("address");
            refusal = UpgradeRefusal.TooManyPending;
            return null;
        }
        refusal = null;
        return new UpgradeTickets(admitted, pending);
    }

    /// <summary>
    /// Browsers send Origin; a page from another site must not open sockets with a user's token.
    /// Non-browser clients send none.
    /// </summary>
    private bool OriginAllowed(string origin, string host)
    {
        if (origin.Length == 0) return true;
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase)) return true;
        return _allowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }
}
