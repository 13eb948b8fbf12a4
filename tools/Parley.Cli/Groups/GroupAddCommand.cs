using System.ComponentModel;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group add &lt;conv&gt; &lt;member...&gt;</c> (admins only).</summary>
internal sealed class GroupAddCommand : AsyncCommand<GroupAddCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<conv>")]
        [Description("The group's conversation id (g:...)")]
        public string Conv { get; set; } = "";

        [CommandArgument(1, "<member>")]
        [Description("The users to add")]
        public string[] Members { get; set; } = [];
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Conv, async (client, ct) =>
        {
            var members = await client.AddMembersAsync(settings.Conv, settings.Members, ct);
            return $"{settings.Conv} members: {string.Join(", ", members)}";
        }, cancellationToken);
}
