using System.ComponentModel;
using System.Threading.Channels;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Messages;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Chat;

/// <summary>
/// <c>parley chat &lt;user|conv&gt;</c>: recent history, live messages, ticks that follow the receipts, and each typed
/// line sent. Keys, inbox events and finished sends go through one queue read by the one loop that draws the screen.
/// Like <c>tail</c>, it acknowledges every inbox event once taken in and resumes after the last one.
/// </summary>
internal sealed class ChatCommand : AsyncCommand<ChatCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description("A username (the direct conversation with you) or a conversation id")]
        public string With { get; set; } = "";

        [CommandOption("--limit <N>")]
        [Description("How many messages of history to show first")]
        [DefaultValue(30)]
        public int Limit { get; set; } = 30;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 200 ? ValidationResult.Error("--limit must be between 1 and 200") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            throw new CliException(ExitCodes.Usage, "parley chat needs a terminal: in scripts use send and tail");
        }
        var config = ConfigStore.Require();
        var conv = Targets.Conversation(settings.With, config.User);
        var inputs = Channel.CreateUnbounded<ChatInput>(new UnboundedChannelOptions { SingleReader = true });
        ParleyClient? client = null;

        void Processed(long seq)
        {
            config = config with { LastSeq = seq };
            ConfigStore.Save(config);
            client!.Acknowledge(seq);
        }

        void Configure(ParleyClient c)
        {
            client = c;
            c.MessageReceived += (m, _) => { inputs.Writer.TryWrite(new ChatInput.Message(m)); Processed(m.Seq); return ValueTask.CompletedTask; };
            c.ReceiptReceived += (r, _) => { inputs.Writer.TryWrite(new ChatInput.Receipt(r)); Processed(r.Seq); return ValueTask.CompletedTask; };
            c.GroupChanged += (g, _) => { Processed(g.Seq); return ValueTask.CompletedTask; };
            c.MessageFailed += (f, _) => { Processed(f.Seq); return ValueTask.CompletedTask; };
            c.MessageDeleted += (d, _) => { Processed(d.Seq); return ValueTask.CompletedTask; };
            c.SettingsChanged += (s, _) => { Processed(s.Seq); return ValueTask.CompletedTask; };
            c.UnknownFrameReceived += (u, _) => { if (u.Seq is { } seq) Processed(seq); return ValueTask.CompletedTask; };
            c.ConnectionStateChanged += (s, _) => { inputs.Writer.TryWrite(new ChatInput.Connection(s.State)); return ValueTask.CompletedTask; };
        }

        await using var connected = await Connections.ConnectAsync(
            config, settings.ServerUri(config), AckMode.Manual, config.LastSeq, settings.Timeout, Configure, cancellationToken);
        var transcript = new ChatTranscript(conv, config.User);
        string title;
        using (var deadline = Deadline.After(settings.Timeout, cancellationToken))
        {
            title = await LoadAsync(connected, transcript, settings.Limit, deadline.Token);
        }

        var session = new ChatSession(connected, transcript, inputs.Writer, settings.Timeout);
        StartKeyboard(inputs.Writer);
        try
        {
            await session.RunAsync(title, inputs.Reader, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is a way to leave the chat.
        }
        await session.DrainAsync();
        return session.Unauthorized ? throw new ParleyException(ErrorCodes.Unauthorized, "token refused") : ExitCodes.Ok;
    }

    /// <returns>The title: the other user, or the group's name.</returns>
    private static async Task<string> LoadAsync(ParleyClient client, ChatTranscript transcript, int limit, CancellationToken cancellationToken)
    {
        var conv = transcript.Conv;
        var me = transcript.Me;
        string title;
        int others;
        try
        {
            if (ConversationIds.TryGetPeer(conv, me, out var peer))
            {
                title = peer;
                others = peer == me ? 0 : 1;
            }
            else
            {
                var info = await client.GroupInfoAsync(conv, cancellationToken);
                title = info.Name;
                others = info.Members.Count - 1;
            }
            foreach (var m in await client.HistoryAsync(conv, limit: limit, cancellationToken: cancellationToken)) transcript.AddHistory(m);
        }
        catch (ParleyException e) when (e.Code is ErrorCodes.NotFound or ErrorCodes.Forbidden)
        {
            throw new CliException(e.Code == ErrorCodes.NotFound ? ExitCodes.NotFound : ExitCodes.Forbidden, $"no conversation {conv} that you can read ({e.Message})", e);
        }
        if (transcript.LastOwnN is { } ownN && others > 0)
        {
            // Receipts are cumulative: where the newest own message stands, every older one stands too.
            var receipts = await client.ReceiptsAsync(conv, ownN, cancellationToken);
            if (receipts.Read.Count >= others) transcript.ApplyReceipt(conv, ReceiptStatuses.Read, ownN);
            else if (receipts.Delivered.Count >= others) transcript.ApplyReceipt(conv, ReceiptStatuses.Delivered, ownN);
        }
        if (transcript.LastN is { } lastN) await client.ReadAsync(conv, lastN, cancellationToken);
        return title;
    }

    private static void StartKeyboard(ChannelWriter<ChatInput> inputs)
    {
        // Console.ReadKey blocks a thread; a background thread dies with the process.
        var thread = new Thread(() =>
        {
            try
            {
                while (true) inputs.TryWrite(new ChatInput.Key(Console.ReadKey(intercept: true)));
            }
            catch (InvalidOperationException)
            {
                inputs.TryWrite(new ChatInput.KeyboardClosed());
            }
        })
        {
            IsBackground = true,
            Name = "chat keyboard",
        };
        thread.Start();
    }
}
