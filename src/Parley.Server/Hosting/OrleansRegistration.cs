using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Parley.Server.Hosting;

internal static class OrleansRegistration
{
    /// <summary>
    /// The Orleans silo in this process: one embedded node (localhost clustering), or one node of a cluster
    /// whose membership lives in Redis. Grains are placed and found through Orleans' grain directory, so
    /// each node holds only its share of users and groups.
    /// </summary>
    public static WebApplicationBuilder AddParleySilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterNodeOptions.Section).Get<ClusterNodeOptions>() ?? new ClusterNodeOptions();
        var siloPort = cluster.SiloPort == 0 ? FreePort() : cluster.SiloPort;
        // Every grain call comes from inside a silo process (the gateway is part of the node), so no Orleans client
        // needs a gateway; 0 leaves it off.
        var gatewayPort = cluster.GatewayPort;
        // Two Orleans log entries are put right (a start-up race's false warning, an ordinary race logged as an error).
        builder.Services.AddSingleton<LoggerFactory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new OrleansLogAdjustments(sp.GetRequiredService<LoggerFactory>())));
        builder.UseOrleans(silo =>
        {
            if (cluster.Provider == "redis")
            {
                silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis!));
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = "parley";
                });
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), siloPort, gatewayPort, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort);
            }
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = cluster.ProbeTimeout;
                // The adaptive minimum would otherwise hold a short probe timeout (tests) above the setting.
                if (o.MinProbeTimeout > cluster.ProbeTimeout) o.MinProbeTimeout = cluster.ProbeTimeout;
                o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            });
        });
        return builder;
    }

    private static int FreePort()
    {
        // The silo needs a concrete port to advertise, and it binds it only later. A port the kernel hands out for
        // bind(0) is one it may also give any outgoing connection in between; a port below the ephemeral range
        // (32768-60999 on Linux) is not, so a free one is picked there.
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
                // Taken: try another.
            }
        }
    }
}
