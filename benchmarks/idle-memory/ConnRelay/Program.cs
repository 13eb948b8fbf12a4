// ConnRelay: the bench kit's WebSocket relay with the socket taken over at the connection level (issue 16, memory per
// idle connection). A Kestrel connection handler reads the HTTP/1.1 upgrade itself, writes the 101 and then holds the
// socket as a WebSocket, so no Http1Connection, HttpContext, header dictionaries or upgraded-body stream outlive the
// handshake. A measuring instrument: benchmarks/idle-memory.sh builds and runs it.
//   dotnet ConnRelay.dll --port N --mode ws|raw [--max-message 65536] [--wait-for-data true]
//     ws:   WebSocket.CreateFromStream (ManagedWebSocket) over the transport's pipes, zero-byte reads while idle
//     raw:  RFC 6455 framing of its own over the transport's PipeReader/PipeWriter
//   connect: ws://127.0.0.1:N/ws?user=NAME; frames are routed as by the kit's relay ("to", "#room", "join")
//   GET /stats (or /stats?gc=1, after a compacting full GC) on the same port: the GC's own view of its memory
//   any other request goes on to Kestrel's HTTP/1.1 pipeline (GET /health: 200; else 404), as Parley's HTTP API would
using System.Net;
using ConnRelay;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var settings = RelaySettings.From(builder.Configuration);
builder.Services.Configure<SocketTransportOptions>(o => o.WaitForDataBeforeAllocatingBuffer = settings.WaitForData);
var handler = new RelayConnectionHandler(new Relay(), settings);
// Connection middleware ahead of the HTTP/1.1 one Kestrel always puts last.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port,
    listen => listen.Use(next => connection => handler.OnConnectedAsync(connection, next))));
var app = builder.Build();
app.Run(static context =>
{
    if (context.Request.Path != "/health")
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
    return context.Response.WriteAsync("ok\n");
});
await app.RunAsync();
