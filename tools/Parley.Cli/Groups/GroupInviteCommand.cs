using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary>
/// <c>parley group invite &lt;group&gt;</c> (admins only): the group's invite code, and the web client's link for it. Asking
/// again gives the same code until it is revoked.
/// </summary>
internal sealed class GroupInviteCommand : AsyncCommand<GroupSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, GroupSettings settings, CancellationToken cancellationToken) =>
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
