using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Parley.Server.Hosting;

namespace Parley.Server.Gateway;

/// <summary>
/// The client address of a socket taken at the connection level, by the rule ASP.NET Core's ForwardedHeadersMiddleware
/// applies to HTTP requests with the options <see cref="ForwardedHeadersRegistration"/> gives it (<c>Parley:Proxy</c>):
/// with no proxy configured, the peer's address; else X-Forwarded-For read from the right, at most ForwardLimit
/// entries, each believed only while the address it came from is a known proxy or in a known network, stopping at an
/// entry that is not an address. X-Forwarded-Proto does not change the address (the middleware's header symmetry is off).
/// </summary>
internal sealed class ForwardedClientAddress(IOptions<ProxyOptions> proxy, IOptions<ForwardedHeadersOptions> forwarded)
{
    private readonly bool _any = proxy.Value.Any;
    private readonly ForwardedHeadersOptions _forwarded = forwarded.Value;

    /// <summary>The address, as <c>HttpContext.Connection.RemoteIpAddress</c> would be after the middleware, or null.</summary>
    public IPAddress? Of(IPAddress? peer, StringValues forwardedFor)
    {
        if (!_any || forwardedFor.Count == 0) return peer;
        // The middleware splits the header the same way (quoted strings kept whole, empty entries dropped).
        var headers = new HeaderDictionary { [_forwarded.ForwardedForHeaderName] = forwardedFor };
        var entries = headers.GetCommaSeparatedValues(_forwarded.ForwardedForHeaderName);
        var count = Math.Min(entries.Length, _forwarded.ForwardLimit ?? int.MaxValue);
        var current = peer;
        var checkKnown = _forwarded.KnownProxies.Count > 0 || _forwarded.KnownIPNetworks.Count > 0;
        for (var i = 0; i < count; i++)
        {
            if (current is not null && checkKnown && !IsKnown(current)) break;
            var entry = entries[entries.Length - i - 1];
            if (IPEndPoint.TryParse(entry, out var endPoint)) current = endPoint.Address;
            else if (!string.IsNullOrEmpty(entry)) break;
        }
        return current;
    }

    private bool IsKnown(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && IsKnown(address.MapToIPv4())) return true;
        return _forwarded.KnownProxies.Contains(address) || _forwarded.KnownIPNetworks.Any(n => n.Contains(address));
    }
}
