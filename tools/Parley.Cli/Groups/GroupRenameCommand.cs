using System.ComponentModel;
using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group rename &lt;group&gt; &lt;name&gt;</c> (admins only).</summary>
internal sealed class GroupRenameCommand : AsyncCommand<GroupRenameCommand.Settings>
{
    internal sealed class Settings : GroupSettings
    {
        [CommandArgument(1, "<name>")]
        [Description("The new name")]
        public string Name { get; set; } = "";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            await session.Client.RenameGroupAsync(conv, settings.Name, ct);
            return new Outcome($"renamed {conv} \"{settings.Name}\"", w =>
            {
                w.WriteString("conv", conv);
                w.WriteString("name", settings.Name);
            });
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
