namespace Parley.Conformance.Tests.Harness;

/// <summary>
/// One server for a test class with fast redelivery: AckTimeout 1 s and 2 attempts, so a socket
/// that does not ack is closed with 4409 about 3 s after the first push. Sockets that only send use AutoAck.
/// </summary>
public sealed class DeliveryServer : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync("--Parley:Delivery:AckTimeout=00:00:01", "--Parley:Delivery:MaxAttempts=2");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
