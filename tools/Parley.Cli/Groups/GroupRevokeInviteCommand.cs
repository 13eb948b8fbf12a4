using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group revoke-invite &lt;group&gt;</c> (admins only): the invite code stops working.</summary>
internal sealed class GroupRevokeInviteCommand : AsyncCommand<GroupSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, GroupSettings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            await session.Client.RevokeInviteAsync(conv, ct);
            return new Outcome($"revoked the invite code of {conv}: the next `parley group invite` makes a new one", w => w.WriteString("conv", conv));
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
