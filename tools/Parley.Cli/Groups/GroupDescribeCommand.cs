using System.ComponentModel;
using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group describe &lt;group&gt; &lt;text&gt;</c> (admins only): sets the group's description; <c>""</c> clears it.</summary>
internal sealed class GroupDescribeCommand : AsyncCommand<GroupDescribeCommand.Settings>
{
    internal sealed class Settings : GroupSettings
    {
        [CommandArgument(1, "<text>")]
        [Description("The new description (\"\" clears it)")]
        public string Text { get; set; } = "";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            await session.Client.SetGroupDescriptionAsync(conv, settings.Text, ct);
            // The server keeps it trimmed, as the members will see it.
            var description = settings.Text.Trim();
            return new Outcome(description.Length == 0 ? $"cleared the description of {conv}" : $"described {conv} \"{description}\"", w =>
            {
                w.WriteString("conv", conv);
                w.WriteString("description", description);
            });
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
