using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>Ports for helper servers (PostgreSQL, Redis, nginx) that cannot be told to pick their own.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
