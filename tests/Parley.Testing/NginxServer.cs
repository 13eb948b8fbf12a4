using System.Diagnostics;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// Debian's nginx as the load balancer in front of several nodes, with WebSocket upgrade, on a free port.
/// Its configuration is the example the operations guide shows.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxServer(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUri { get; }

    public Uri WebSocketUri => new($"ws://{BaseUri.Authority}/v1/ws");

    public static async Task<NginxServer> StartAsync(IEnumerable<Uri> upstreams)
    {
        if (!File.Exists("/usr/sbin/nginx")) throw new InvalidOperationException("nginx is not installed: run `bash .ci/run` (it installs Debian's nginx)");
        var prefix = Directory.CreateTempSubdirectory("parley-nginx-").FullName;
        var port = FreePorts.Next();
        var servers = string.Concat(upstreams.Select(u => $"    server {u.Authority} max_fails=1 fail_timeout=2s;\n"));
        var config = $$"""
            worker_processes 1;
            error_log {{prefix}}/error.log warn;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              fastcgi_temp_path {{prefix}}/fastcgi;
              uwsgi_temp_path {{prefix}}/uwsgi;
              scgi_temp_path {{prefix}}/scgi;
              upstream parley {
            {{servers}}  }
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://parley;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_read_timeout 3600s;
                  proxy_next_upstream error timeout;
                  proxy_connect_timeout 2s;
                }
              }
            }
            """;
        var file = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(file, config);
        var process = ChildProcess.Start("/usr/sbin/nginx", ["-p", prefix, "-c", file, "-g", "daemon off;"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return new NginxServer(process, prefix, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // nginx gives no start-up signal but its port: poll it.
                await Task.Delay(20);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
