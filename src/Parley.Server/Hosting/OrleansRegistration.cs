using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Hosting;

internal static class OrleansRegistration
{
    /// <summary>The embedded Orleans silo: one node, localhost clustering, grains of Parley.Grains.</summary>
    public static WebApplicationBuilder AddParleySilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var siloPort = cluster.SiloPort == 0 ? FreePort() : cluster.SiloPort;
        var gatewayPort = cluster.GatewayPort == 0 ? FreePort() : cluster.GatewayPort;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
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
