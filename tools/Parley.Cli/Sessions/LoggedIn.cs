using Parley.Cli.Config;
using Parley.Client;

namespace Parley.Cli.Sessions;

/// <summary>A one-shot command's connection: manual acks, never given, so that it leaves the inbox to <c>tail</c> and <c>chat</c>.</summary>
internal static class LoggedIn
{
    public static Task<ParleyClient> ConnectAsync(ServerSettings settings, CliConfig config, CancellationToken cancellationToken) =>
        Connections.ConnectAsync(config, settings.ServerUri(config), AckMode.Manual, after: null, settings.Timeout, configure: null, cancellationToken);
}
