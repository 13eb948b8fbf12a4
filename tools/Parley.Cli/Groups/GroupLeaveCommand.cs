using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group leave &lt;group&gt;</c>.</summary>
internal sealed class GroupLeaveCommand : AsyncCommand<GroupSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, GroupSettings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            await session.Client.LeaveGroupAsync(conv, ct);
            return new Outcome($"left {conv}", w => w.WriteString("conv", conv));
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
