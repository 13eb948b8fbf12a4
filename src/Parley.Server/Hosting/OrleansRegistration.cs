using System.Net;
using System.Net.Sockets;
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
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var siloPort = cluster.SiloPort == 0 ? FreePort() : cluster.SiloPort;
        var gatewayPort = cluster.GatewayPort == 0 ? FreePort() : cluster.GatewayPort;
        builder.UseOrleans(silo =>
        {
            if (cluster.Provider == "redis")
            {
                silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis!));
                silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
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
        // The silo needs a concrete port to advertise; ask the kernel for one that is free now.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
