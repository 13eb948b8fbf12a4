using System.ComponentModel;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Groups;

/// <summary><c>parley group join &lt;code or link&gt;</c>: joins the group of an invite code; joining one's own group changes nothing.</summary>
internal sealed class GroupJoinCommand : AsyncCommand<GroupJoinCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<code>")]
        [Description("The invite code, or the link (https://.../#join/CODE) that `parley group invite` or the web client gave")]
        public string Code { get; set; } = "";

        public override ValidationResult Validate() =>
            InviteLinks.TryCode(Code, out _) ? base.Validate() : ValidationResult.Error($"'{Code}' is not an invite code or link");
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        InviteLinks.TryCode(settings.Code, out var code);
        return GroupCommands.RunAsync(settings, group: null, async (session, _, ct) =>
        {
            var joined = await session.Client.JoinAsync(code, ct);
            return new Outcome($"joined {joined.Conv} with {string.Join(", ", joined.Members)}", w =>
            {
                w.WriteString("conv", joined.Conv);
                ProtocolJson.Strings(w, "members", joined.Members);
                ProtocolJson.Strings(w, "admins", joined.Admins);
            });
        }, _ => $"no group has the invite code {code} (unknown, or revoked)", cancellationToken);
    }
}
