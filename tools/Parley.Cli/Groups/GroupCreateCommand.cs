using System.ComponentModel;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group create &lt;name&gt; &lt;member...&gt;</c>.</summary>
internal sealed class GroupCreateCommand : AsyncCommand<GroupCreateCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<name>")]
        [Description("The group's name")]
        public string Name { get; set; } = "";

        [CommandArgument(1, "<member>")]
        [Description("The members besides you")]
        public string[] Members { get; set; } = [];
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, group: null, async (session, _, ct) =>
        {
            var created = await session.Client.CreateGroupAsync(settings.Name, settings.Members, ct);
            return new Outcome($"created {created.Conv} \"{settings.Name}\" with {string.Join(", ", created.Members)}", w =>
            {
                w.WriteString("conv", created.Conv);
                w.WriteString("name", settings.Name);
                ProtocolJson.Strings(w, "members", created.Members);
                ProtocolJson.Strings(w, "admins", created.Admins);
            });
        }, _ => $"{GroupCommands.NotAllUsers(settings.Members)}", cancellationToken);
}
