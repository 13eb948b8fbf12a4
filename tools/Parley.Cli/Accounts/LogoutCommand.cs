using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Client.Http;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Accounts;

/// <summary><c>parley logout</c>: revokes the token on the server and forgets it here.</summary>
internal sealed class LogoutCommand : AsyncCommand<ServerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        var store = settings.Store();
        var config = store.Require();
        using var http = new ParleyHttpClient(settings.ServerUri(config));
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        try
        {
            await http.LogoutAsync(config.Token, deadline.Token);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Unauthorized)
        {
            // Already revoked or expired: forgetting it is all that is left to do.
        }
        store.Delete();
        settings.Printer().Result($"logged out {config.User}", w =>
        {
            w.WriteString("user", config.User);
            w.WriteString("profile", store.Profile);
        });
        return ExitCodes.Ok;
    }
}
