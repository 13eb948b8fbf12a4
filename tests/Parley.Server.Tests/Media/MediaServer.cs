using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Media;

/// <summary>
/// One server shared by the media tests of a class, with a small image limit (1 MiB) so that the over-limit cases
/// send little. Each test uses users of its own.
/// </summary>
public sealed class MediaServer : IAsyncLifetime
{
    public const long MaxImageBytes = 1024 * 1024;

    /// <summary>Documents get a limit of their own (2 MiB here), so that a test can tell the families' limits apart.</summary>
    public const long MaxDocumentBytes = 2 * 1024 * 1024;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(args: [$"--Parley:Media:MaxImageBytes={MaxImageBytes}", $"--Parley:Media:MaxDocumentBytes={MaxDocumentBytes}", "--Parley:Retention:SweepInterval=00:00:00.300",
            // The resumable uploads say at Debug where a PATCH that ended early left off: the tests await that line.
            "--Logging:LogLevel:Parley.Server.Media.Tus=Debug"]);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<string> LoginAsync(string prefix) => WireClient.LoginAsync(Server, Unique(prefix));

    /// <summary>A new user: name and token.</summary>
    public async Task<(string User, string Token)> UserAsync(string prefix)
    {
        var user = Unique(prefix);
        return (user, await WireClient.LoginAsync(Server, user));
    }
}
