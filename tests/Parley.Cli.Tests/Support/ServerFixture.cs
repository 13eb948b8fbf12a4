using Parley.Testing;

namespace Parley.Cli.Tests.Support;

/// <summary>One real server for a test class; tests use fresh usernames so that they don't see each other.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public Uri BaseUri => (_server ?? throw new InvalidOperationException("not started")).BaseUri;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
