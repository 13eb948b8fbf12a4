using Parley.Cli.Config;
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
        var config = ConfigStore.Require();
        using var http = new ParleyHttpClient(settings.ServerUri(config));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            await http.LogoutAsync(config.Token, deadline.Token);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Unauthorized)
        {
            // Already revoked or expired: forgetting it is all that is left to do.
        }
        ConfigStore.Delete();
        Console.WriteLine($"logged out {config.User}");
        return ExitCodes.Ok;
    }
}
