using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

/// <summary>One real server for a test class (tests that stop or kill it start their own).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public Uri BaseUri => Server.BaseUri;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(args: ["--Parley:Delivery:AckTimeout=00:00:02"]);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
