using Parley.Cli.Failures;
using Parley.Cli.Messages;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;

namespace Parley.Cli.Groups;

/// <summary>What the group commands share: a session, a deadline, the group by id or name, and the wording of the server's refusals.</summary>
internal static class GroupCommands
{
    /// <summary>The words for a <c>not_found</c> about members (the server does not say which one).</summary>
    public static string NotAllUsers(IReadOnlyList<string> members) =>
        members.Count == 1 ? $"{members[0]} is not a user" : $"not all of {string.Join(", ", members)} are users";

    /// <param name="settings">The command's settings.</param>
    /// <param name="group">The group's id or name, or null for a command that makes one.</param>
    /// <param name="action">What to do, given the session and the group's id.</param>
    /// <param name="notFound">What <c>not_found</c> means for this action, given the group's id.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<int> RunAsync(
        ServerSettings settings, string? group, Func<Connected, string, CancellationToken, Task<Outcome>> action, Func<string, string> notFound,
        CancellationToken cancellationToken)
    {
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var conv = group is null ? "" : (await Targets.ResolveGroupAsync(session, group, deadline.Token)).Conv;
        try
        {
            var outcome = await action(session, conv, deadline.Token);
            settings.Printer().Result(outcome.Text, outcome.Json);
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, notFound(conv), e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Forbidden)
        {
            throw new CliException(ExitCodes.Forbidden, $"not allowed in {conv}: only members may act, and only admins add, remove, rename, describe or manage invite codes", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.GroupFull)
        {
            throw new CliException(ExitCodes.Invalid, $"{conv} is full: nobody was added", e);
        }
    }
}
