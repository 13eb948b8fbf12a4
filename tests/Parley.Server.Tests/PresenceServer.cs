using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// One server shared by the tests of a class (each test uses its own users), with a short typing timeout, and the load
/// level held at 0: these tests check presence and typing themselves, which a loaded test machine must not make it shed.
/// </summary>
public sealed class PresenceServer : IAsyncLifetime
{
    public static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(1);

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(args: [$"--Parley:Presence:TypingTimeout={TypingTimeout:c}", NoShedding]);

    /// <summary>Holds the load governor at level 0.</summary>
    public const string NoShedding = "--Parley:Governor:ForceLevel=0";

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
