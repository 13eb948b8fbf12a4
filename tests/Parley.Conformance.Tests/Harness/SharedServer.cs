namespace Parley.Conformance.Tests.Harness;

/// <summary>
/// One server for a test class, with default settings except a 1 s hello timeout. Tests on it use
/// their own users, and finish well within the default 10 s AckTimeout, so they never see redeliveries.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync("--Parley:Gateway:HelloTimeout=00:00:01");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
