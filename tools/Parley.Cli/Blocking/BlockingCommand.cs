using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Blocking;

/// <summary>
/// <c>parley block &lt;user&gt;</c> and <c>parley unblock &lt;user&gt;</c>: both idempotent, for the account (every device).
/// </summary>
internal abstract class BlockingCommand : AsyncCommand<BlockingCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<user>")]
        [Description("The username (or @username)")]
        public string User { get; set; } = "";
    }

    /// <summary>True for block, false for unblock.</summary>
    protected abstract bool Blocks { get; }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var user = settings.User.StartsWith('@') ? settings.User[1..] : settings.User;
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        try
        {
            if (Blocks) await session.Client.BlockAsync(user, deadline.Token);
            else await session.Client.UnblockAsync(user, deadline.Token);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"no user named '{user}'", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.BadRequest && user == session.Me)
        {
            throw new CliException(ExitCodes.Invalid, $"you cannot {(Blocks ? "block" : "unblock")} yourself", e);
        }
        var text = Blocks
            ? $"blocked {user}: nothing they send reaches you until you unblock them"
            : $"unblocked {user}: what they send from now on reaches you (what they sent meanwhile does not)";
        settings.Printer().Result(text, w =>
        {
            w.WriteString("user", user);
            w.WriteBoolean("blocked", Blocks);
        });
        return ExitCodes.Ok;
    }
}

/// <summary><c>parley block &lt;user&gt;</c>.</summary>
internal sealed class BlockCommand : BlockingCommand
{
    protected override bool Blocks => true;
}

/// <summary><c>parley unblock &lt;user&gt;</c>.</summary>
internal sealed class UnblockCommand : BlockingCommand
{
    protected override bool Blocks => false;
}
