using System.ComponentModel;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary>
/// <c>parley group invite &lt;group&gt;</c> (admins only): the group's invite code, and the web client's link for it. Asking
/// again gives the same code until it is revoked.
/// </summary>
internal sealed class GroupInviteCommand : AsyncCommand<GroupInviteCommand.Settings>
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
            var code = await session.Client.CreateInviteAsync(conv, ct);
            var link = InviteLinks.Link(session.Server, code);
            return new Outcome($"invite code for {conv}: {code}\nlink: {link}", w =>
            {
                w.WriteString("conv", conv);
                w.WriteString("code", code);
                w.WriteString("link", link);
            });
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
