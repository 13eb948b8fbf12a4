using System.ComponentModel;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Client.Http;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Accounts;

/// <summary><c>parley login &lt;user&gt;</c>: logs this machine in as a device and keeps its token in the profile's config file.</summary>
internal sealed class LoginCommand : AsyncCommand<LoginCommand.Settings>
{
    internal sealed class Settings : CredentialSettings
    {
        [CommandOption("--device-name <NAME>")]
        [Description("The device's name. Default: parley-cli@<host>")]
        public string? DeviceName { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var password = settings.ReadPassword();
        var store = settings.Store();
        using var http = new ParleyHttpClient(settings.ServerUri(store.Load()));
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        ParleySession session;
        try
        {
            session = await http.LoginAsync(settings.User, password, settings.DeviceName ?? $"parley-cli@{Environment.MachineName}", deadline.Token);
        }
        catch (ParleyException e) when (e.Code is ErrorCodes.Unauthorized or ErrorCodes.BadRequest)
        {
            throw new CliException(ExitCodes.Unauthorized, $"wrong username or password for '{settings.User}'", e);
        }
        store.Save(new CliConfig(http.ServerUri.AbsoluteUri, settings.User, session.Token, session.DeviceId, LastSeq: null));
        settings.Printer().Result($"logged in as {settings.User} on {http.ServerUri} (device {session.DeviceId})", w =>
        {
            w.WriteString("user", settings.User);
            w.WriteString("server", http.ServerUri.AbsoluteUri);
            w.WriteString("device", session.DeviceId);
            w.WriteString("profile", store.Profile);
        });
        return ExitCodes.Ok;
    }
}
