using System.ComponentModel;
using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group remove &lt;group&gt; &lt;member&gt;</c> (admins only).</summary>
internal sealed class GroupRemoveCommand : AsyncCommand<GroupRemoveCommand.Settings>
{
    internal sealed class Settings : GroupSettings
    {
        [CommandArgument(1, "<member>")]
        [Description("The user to remove")]
        public string Member { get; set; } = "";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            var members = await session.Client.RemoveMemberAsync(conv, settings.Member, ct);
            return new Outcome($"{conv} members: {string.Join(", ", members)}", w =>
            {
                w.WriteString("conv", conv);
                ProtocolJson.Strings(w, "members", members);
            });
        }, conv => $"{settings.Member} is not a member of {conv}, or there is no such group", cancellationToken);
}
