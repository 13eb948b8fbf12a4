using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;

namespace Parley.Cli.Messages;

/// <summary>What the commands about one message share (reply, react, edit, delete): a session, the conversation, and the wording of the server's refusals.</summary>
internal static class MessageCommands
{
    /// <param name="settings">The command's settings: the conversation and the message's number.</param>
    /// <param name="action">What to do, given the session and the conversation.</param>
    /// <param name="notFound">What <c>not_found</c> means for this action, given the conversation.</param>
    /// <param name="forbidden">What <c>forbidden</c> means for this action, given the conversation and the server's words.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<int> RunAsync(
        MessageSettings settings, Func<Connected, Target, CancellationToken, Task<Outcome>> action, Func<Target, string> notFound,
        Func<Target, string, string> forbidden, CancellationToken cancellationToken)
    {
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var target = await Targets.ResolveAsync(session, settings.With, userMustExist: false, deadline.Token);
        try
        {
            var outcome = await action(session, target, deadline.Token);
            settings.Printer().Result(outcome.Text, outcome.Json);
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, notFound(target), e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Forbidden)
        {
            throw new CliException(ExitCodes.Forbidden, forbidden(target, e.Message), e);
        }
    }
}
