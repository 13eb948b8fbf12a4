using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Parley.Server.Gateway;
using Parley.Server.Hosting;

namespace Parley.Server.Tests.Gateway;

/// <summary>
/// The connection-level gateway's client address against ASP.NET Core's own ForwardedHeadersMiddleware, configured
/// from the same <c>Parley:Proxy</c> the server's registration reads: for each case the two must agree.
/// </summary>
public sealed class ForwardedClientAddressTests
{
    public static TheoryData<string[], string[], int, string, string[]> Cases => new()
    {
        // known proxies, known networks, forward limit, peer, X-Forwarded-For lines
        { [], [], 1, "127.0.0.1", ["203.0.113.7"] },
        { ["127.0.0.1"], [], 1, "127.0.0.1", [] },
        { ["127.0.0.1"], [], 1, "127.0.0.1", ["203.0.113.7"] },
        { ["127.0.0.1"], [], 1, "127.0.0.1", ["198.51.100.1, 203.0.113.7"] },
        { ["127.0.0.1"], [], 2, "127.0.0.1", ["198.51.100.1, 203.0.113.7"] },
        { ["127.0.0.1", "203.0.113.7"], [], 2, "127.0.0.1", ["198.51.100.1, 203.0.113.7"] },
        { ["127.0.0.1"], ["203.0.113.0/24"], 3, "127.0.0.1", ["198.51.100.1", "203.0.113.9", "203.0.113.7"] },
        { ["10.0.0.5"], [], 1, "127.0.0.1", ["203.0.113.7"] },
        { [], ["127.0.0.0/8"], 1, "::ffff:127.0.0.1", ["203.0.113.7:4711"] },
        { ["127.0.0.1"], [], 2, "127.0.0.1", ["not-an-address, 203.0.113.7"] },
        { ["127.0.0.1"], [], 2, "127.0.0.1", ["203.0.113.7, not-an-address"] },
        { ["127.0.0.1"], [], 1, "127.0.0.1", ["[2001:db8::1]:443"] },
        { ["127.0.0.1"], [], 2, "127.0.0.1", ["203.0.113.7,,"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_address_is_the_one_the_forwarded_headers_middleware_gives(string[] proxies, string[] networks, int limit, string peer, string[] forwardedFor)
    {
        var proxy = new ProxyOptions { KnownProxies = proxies, KnownNetworks = networks, ForwardLimit = limit };
        var forwarded = ForwardedOptions(proxy);

        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor.Length > 0) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        // As the server does: the middleware runs only when a proxy is configured.
        if (proxy.Any) await new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance, Options.Create(forwarded)).Invoke(context);

        var address = new ForwardedClientAddress(Options.Create(proxy), Options.Create(forwarded)).Of(IPAddress.Parse(peer), new StringValues(forwardedFor));
        Assert.Equal(context.Connection.RemoteIpAddress, address);
    }

    /// <summary>The middleware's options as the server's registration makes them from <paramref name="proxy"/>.</summary>
    private static ForwardedHeadersOptions ForwardedOptions(ProxyOptions proxy)
    {
        var services = new ServiceCollection();
        services.AddParleyForwardedHeaders(new ConfigurationBuilder().Build());
        services.AddSingleton(Options.Create(proxy));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
    }
}
