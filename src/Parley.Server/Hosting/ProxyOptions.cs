namespace Parley.Server.Hosting;

/// <summary>
/// Parley:Proxy: the reverse proxies (nginx, a load balancer) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// are believed. Behind a proxy every client has the proxy's address; with the proxy named here, the per-address limits
/// count the client's own address instead. Nobody else's forwarded headers are believed: a client cannot pick its address.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Parley:Proxy";

    /// <summary>The proxies' addresses (e.g. <c>127.0.0.1</c>, <c>10.0.0.5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR notation (e.g. <c>10.0.0.0/24</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies a request passes through (entries of X-Forwarded-For read from the right).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is configured (otherwise forwarded headers are ignored altogether).</summary>
    public bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}
