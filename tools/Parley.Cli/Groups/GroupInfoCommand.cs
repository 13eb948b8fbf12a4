using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group info &lt;group&gt;</c>: name, description (when it has one), members, admins and retention.</summary>
internal sealed class GroupInfoCommand : AsyncCommand<GroupSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, GroupSettings settings, CancellationToken cancellationToken) =>
        GroupCommands.RunAsync(settings, settings.Group, async (session, conv, ct) =>
        {
            var info = await session.Client.GroupInfoAsync(conv, ct);
            var members = info.Members.Select(m => info.Admins.Contains(m) ? m + " (admin)" : m);
            var retention = info.Retention is { } ttl ? $"messages disappear after {ttl} s" : "messages are kept";
            var description = info.Description.Length == 0 ? "" : $"description: {info.Description}\n";
            return new Outcome($"{info.Name} ({conv})\n{description}members: {string.Join(", ", members)}\n{retention}", w =>
            {
                w.WriteString("conv", conv);
                w.WriteString("name", info.Name);
                w.WriteString("description", info.Description);
                ProtocolJson.Strings(w, "members", info.Members);
                ProtocolJson.Strings(w, "admins", info.Admins);
                ProtocolJson.Retention(w, info.Retention);
            });
        }, conv => $"you are not in a group {conv}", cancellationToken);
}
