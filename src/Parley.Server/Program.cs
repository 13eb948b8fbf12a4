using Parley.Server.Gateway;
using Parley.Server.Hosting;
using Parley.Server.Http;
using Parley.Server.Load;
using Parley.Server.Media;
using Parley.Server.Media.Tus;
using Parley.Server.Observability;

// Settings files sit beside the executable, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data"] = "Parley:DataDir" });

builder.Services.AddParleyOptions(builder.Configuration);
builder.Services.AddParleyStorage(builder.Configuration);
builder.AddParleySilo();
builder.Services.AddParleyGateway();
builder.Services.AddParleyMedia(builder.Configuration);
builder.Services.AddParleyUploads(builder.Configuration);
builder.Services.AddParleyObservability();
builder.Services.AddParleyLoadGovernor();
builder.Services.AddParleyForwardedHeaders(builder.Configuration);
builder.Services.AddParleySecurityHeaders(builder.Configuration);

var app = builder.Build();
// First: what follows sees the client's address and scheme when a configured proxy forwards them.
app.UseParleyForwardedHeaders();
app.UseParleyHsts();
// The web client (wwwroot, copied beside the executable): index.html at /, plain ES modules and CSS.
app.UseWebClientFiles();
app.UseWebSockets();
app.MapHealthEndpoints();
app.MapParleyMetrics();
app.MapAccountEndpoints();
app.MapUserEndpoints();
app.MapAdminEndpoints();
app.MapMediaEndpoints();
app.MapTusEndpoints();
app.MapGateway();
app.CloseConnectionsOnShutdown();
app.Run();

/// <summary>The server's entry point, visible to tests that host it.</summary>
public partial class Program;
