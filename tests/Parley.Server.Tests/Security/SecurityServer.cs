using Parley.Testing;

namespace Parley.Server.Tests.Security;

/// <summary>One server with the default settings shared by the tests of a class (each test uses its own users), the load level held at 0.</summary>
public sealed class SecurityServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(args: [PresenceServer.NoShedding]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
