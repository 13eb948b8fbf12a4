using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Client.Http;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Accounts;

/// <summary><c>parley register &lt;user&gt;</c>: creates an account.</summary>
internal sealed class RegisterCommand : AsyncCommand<RegisterCommand.Settings>
{
    internal sealed class Settings : CredentialSettings
    {
        [CommandOption("--display-name <NAME>")]
        [Description("The name others see")]
        public string? DisplayName { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var password = settings.ReadPassword();
        using var http = new ParleyHttpClient(settings.ServerUri(settings.Store().Load()));
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        try
        {
            var profile = await http.RegisterAsync(settings.User, password, settings.DisplayName, deadline.Token);
            settings.Printer().Result($"registered {profile.Username}" + (profile.DisplayName is { } name ? $" ({name})" : ""), w =>
            {
                w.WriteString("username", profile.Username);
                if (profile.DisplayName is { } displayName) w.WriteString("displayName", displayName);
            });
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Conflict)
        {
            throw new CliException(ExitCodes.Conflict, $"the username '{settings.User}' is taken", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.BadRequest)
        {
            throw new CliException(ExitCodes.Invalid, $"cannot register '{settings.User}': {e.Message} (usernames are 3 to 32 of a-z, 0-9, _; passwords at least 8 characters)", e);
        }
    }
}
