using System.Diagnostics;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>A private redis-server for the test run (Debian's redis-server), in memory only, on a free port.</summary>
public sealed class RedisServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static RedisServer? s_shared;
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return s_shared ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            throw new InvalidOperationException("redis-server is not installed: run `bash .ci/run` (it installs Debian's redis-server)");
        }
        var port = FreePorts.Next();
        var process = ChildProcess.Start("/usr/bin/redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var server = new RedisServer(process, port);
        ChildProcess.CleanUpAfterExit($"kill {process.Id}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // redis-server gives no start-up signal but its port: poll it.
                await Task.Delay(20);
            }
        }
    }
}
