using System.ComponentModel;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group leave &lt;conv&gt;</c>.</summary>
internal sealed class GroupLeaveCommand : AsyncCommand<GroupLeaveCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<conv>")]
        [Description("The group's conversation id (g:...)")]
        public string Conv { get; set; } = "";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Conv, async (client, ct) =>
        {
            await client.LeaveGroupAsync(settings.Conv, ct);
            return $"left {settings.Conv}";
        }, cancellationToken);
}
