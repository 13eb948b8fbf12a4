using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Groups;

/// <summary>
/// One server for a group test class: default limits (200 members), a 1 s hello timeout and a 50 ms
/// coalescing interval for aggregated group receipts, so that receipt tests do not wait 250 ms each.
/// </summary>
public sealed class GroupServer : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(
            "--Parley:Gateway:HelloTimeout=00:00:01",
            "--Parley:Groups:ReceiptInterval=00:00:00.050");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>A server whose groups hold at most <see cref="MaxMembers"/> members, creator included.</summary>
public sealed class SmallGroupServer : IAsyncLifetime
{
    public const int MaxMembers = 5;

    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(
            $"--Parley:Groups:MaxMembers={MaxMembers}",
            "--Parley:Groups:ReceiptInterval=00:00:00.050");

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
