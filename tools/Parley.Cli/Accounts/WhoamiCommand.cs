using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Accounts;

/// <summary><c>parley whoami</c>: who this profile is logged in as, where, and which file keeps it. Reads the config only (works offline).</summary>
internal sealed class WhoamiCommand : Command<ServerSettings>
{
    public override int Execute(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        var store = settings.Store();
        var config = store.Require();
        var server = settings.ServerUri(config);
        settings.Printer().Result($"{config.User} on {server} (device {config.DeviceId}, profile {store.Profile}, {store.FilePath})", w =>
        {
            w.WriteString("user", config.User);
            w.WriteString("server", server.AbsoluteUri);
            w.WriteString("device", config.DeviceId);
            w.WriteString("profile", store.Profile);
            w.WriteString("config", store.FilePath);
        });
        return ExitCodes.Ok;
    }
}
