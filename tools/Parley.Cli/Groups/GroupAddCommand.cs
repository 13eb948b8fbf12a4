using System.ComponentModel;
using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group add &lt;group&gt; &lt;member...&gt;</c> (admins only).</summary>
internal sealed class GroupAddCommand : AsyncCommand<GroupAddCommand.Settings>
{
    internal sealed class Settings : GroupSettings
    {
        [CommandArgument(1, "<member>")]
        [Description("The users to add")]
        public string[] Members { get; set; } = [];
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            var members = await session.Client.AddMembersAsync(conv, settings.Members, ct);
            return new Outcome($"{conv} members: {string.Join(", ", members)}", w =>
            {
                w.WriteString("conv", conv);
                ProtocolJson.Strings(w, "members", members);
            });
        }, conv => $"{GroupCommands.NotAllUsers(settings.Members)}, or there is no group {conv}", cancellationToken);
}
