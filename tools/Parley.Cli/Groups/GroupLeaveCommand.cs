using System.ComponentModel;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group leave &lt;group&gt;</c>.</summary>
internal sealed class GroupLeaveCommand : AsyncCommand<GroupLeaveCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<group>")]
        [Description("The group's id (g:...) or name")]
        public string Group { get; set; } = "";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            await session.Client.LeaveGroupAsync(conv, ct);
            return new Outcome($"left {conv}", w => w.WriteString("conv", conv));
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
