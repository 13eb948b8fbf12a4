using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;

namespace Parley.Cli.Groups;

/// <summary>What the group commands share: a connection, a deadline and the wording of the server's refusals.</summary>
internal static class GroupCommands
{
    public static async Task<int> RunAsync(ServerSettings settings, string conv, Func<ParleyClient, CancellationToken, Task<string>> action, CancellationToken cancellationToken)
    {
        var config = ConfigStore.Require();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var client = await LoggedIn.ConnectAsync(settings, config, deadline.Token);
        try
        {
            Console.WriteLine(await action(client, deadline.Token));
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"unknown user or group ({e.Message})", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Forbidden)
        {
            throw new CliException(ExitCodes.Forbidden, $"not allowed in {conv}: only members may act, and only admins add or remove ({e.Message})", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.GroupFull)
        {
            throw new CliException(ExitCodes.Invalid, $"{conv} is full: nobody was added", e);
        }
    }
}
