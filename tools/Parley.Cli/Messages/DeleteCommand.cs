using Parley.Cli.Output;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley delete &lt;with&gt; &lt;n&gt;</c>: deletes a message for everyone (its sender, or a group admin).</summary>
internal sealed class DeleteCommand : AsyncCommand<MessageSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, MessageSettings settings, CancellationToken cancellationToken) =>
        MessageCommands.RunAsync(settings, async (session, target, ct) =>
        {
            var n = settings.N;
            await session.Client.DeleteAsync(target.Conv, n, ct);
            return new Outcome($"deleted #{n} in {target.Conv}", w =>
            {
                w.WriteString("conv", target.Conv);
                w.WriteNumber("n", n);
            });
        },
        target => $"no message #{settings.N} in {target.Conv}",
        (target, _) => $"only its sender or a group admin may delete #{settings.N} in {target.Conv}",
        cancellationToken);
}
