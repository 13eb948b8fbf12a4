using Parley.Cli.Output;
using Parley.Client;
using Parley.Protocol.Client;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>
/// <c>parley reply &lt;with&gt; &lt;n&gt; &lt;text&gt;</c> (or <c>--stdin</c>): a text message that quotes message #n of the
/// same conversation; returns once the server stored it. A message one cannot see is refused and nothing is stored.
/// </summary>
internal sealed class ReplyCommand : AsyncCommand<MessageTextSettings>
{
    private const string NothingSent = "nothing was sent";

    public override async Task<int> ExecuteAsync(CommandContext context, MessageTextSettings settings, CancellationToken cancellationToken)
    {
        var text = TypedText.NotEmpty(await TypedText.ReadAsync(settings.Stdin, settings.Text, cancellationToken), NothingSent);
        var n = settings.N;
        return await MessageCommands.RunAsync(settings, async (session, target, ct) =>
        {
            var message = new OutgoingMessage(target.Peer ?? target.Conv, BodyJson.FromText(text)) { ReplyTo = n };
            TypedText.CheckSize(session.Client, message.BodyJson, NothingSent);
            var sent = await session.Client.SendAsync(message, ct);
            return new Outcome($"sent {sent.Id} n={sent.N} conv={sent.Conv} reply to #{n}", w => ProtocolJson.SendResult(w, sent));
        },
        target => $"no message #{n} in {target.Conv} that you can reply to (missing, deleted or expired): {NothingSent}",
        (target, _) => $"you are not a member of {target.Conv}",
        cancellationToken);
    }
}
