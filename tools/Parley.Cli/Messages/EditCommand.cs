using Parley.Cli.Output;
using Parley.Protocol.Client;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>
/// <c>parley edit &lt;with&gt; &lt;n&gt; &lt;text&gt;</c> (or <c>--stdin</c>): a new text for one's own message #n, within the
/// server's edit window. Everyone in the conversation sees the new text, marked edited.
/// </summary>
internal sealed class EditCommand : AsyncCommand<MessageTextSettings>
{
    private const string NothingChanged = "the message was not changed";

    public override async Task<int> ExecuteAsync(CommandContext context, MessageTextSettings settings, CancellationToken cancellationToken)
    {
        var text = TypedText.NotEmpty(await TypedText.ReadAsync(settings.Stdin, settings.Text, cancellationToken), NothingChanged);
        var n = settings.N;
        return await MessageCommands.RunAsync(settings, async (session, target, ct) =>
        {
            var body = BodyJson.FromText(text);
            TypedText.CheckSize(session.Client, body, NothingChanged);
            var editedAt = await session.Client.EditAsync(target.Conv, n, body, ct);
            return new Outcome($"edited #{n} in {target.Conv}", w =>
            {
                w.WriteString("conv", target.Conv);
                w.WriteNumber("n", n);
                w.WriteNumber("editedAt", editedAt);
            });
        },
        target => $"no message #{n} in {target.Conv} (deleted, expired or never sent)",
        (target, why) => $"you cannot edit #{n} in {target.Conv}: only its sender may, within the server's edit window ({why})",
        cancellationToken);
    }
}
