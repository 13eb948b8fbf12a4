using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>One server shared by the tests of a class (each test uses its own users), with a short typing timeout.</summary>
public sealed class PresenceServer : IAsyncLifetime
{
    public static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(1);

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(args: [$"--Parley:Presence:TypingTimeout={TypingTimeout:c}"]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
