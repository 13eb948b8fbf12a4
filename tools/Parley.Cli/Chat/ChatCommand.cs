using System.ComponentModel;
using System.Globalization;
using System.Threading.Channels;
using Parley.Cli.Failures;
using Parley.Cli.Messages;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Chat;

/// <summary>
/// <c>parley chat &lt;with&gt;</c>: recent history, live messages, ticks that follow the receipts, the other side's
/// presence and typing in the header, and each typed line sent. An unknown user is refused before anything is shown.
/// Keys, inbox events, presence, typing and finished sends go through one queue read by the one loop that draws the
/// screen. Like <c>tail</c>, it acknowledges every inbox event once taken in and resumes after the last one.
/// </summary>
internal sealed class ChatCommand : AsyncCommand<ChatCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description(Targets.Help)]
        public string With { get; set; } = "";

        [CommandOption("--limit <N>")]
        [Description("How many messages of history to show first, 1 to 200")]
        public string LimitText { get; set; } = "30";

        public int Limit => (int)WholeNumber.Parse(LimitText);

        public override ValidationResult Validate()
        {
            if (Json) return ValidationResult.Error("parley chat is interactive: --json is for send, history, tail and the other commands");
            return WholeNumber.TryParse("--limit", LimitText, 1, ParleyClient.MaxHistoryLimit, out _, out var error) ? base.Validate() : error;
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            throw new CliException(ExitCodes.Usage, "parley chat needs a terminal: in scripts use send and tail");
        }
        var store = settings.Store();
        var config = store.Require();
        var inputs = Channel.CreateUnbounded<ChatInput>(new UnboundedChannelOptions { SingleReader = true });
        ParleyClient? client = null;

        void Processed(long seq)
        {
            config = config with { LastSeq = seq };
            store.Save(config);
            client!.Acknowledge(seq);
        }

        void Configure(ParleyClient c)
        {
            client = c;
            c.MessageReceived += (m, _) => { inputs.Writer.TryWrite(new ChatInput.Message(m)); Processed(m.Seq); return ValueTask.CompletedTask; };
            c.ReceiptReceived += (r, _) => { inputs.Writer.TryWrite(new ChatInput.Receipt(r)); Processed(r.Seq); return ValueTask.CompletedTask; };
            c.MessageDeleted += (d, _) => { inputs.Writer.TryWrite(new ChatInput.Deleted(d)); Processed(d.Seq); return ValueTask.CompletedTask; };
            c.ReactionReceived += (r, _) => { inputs.Writer.TryWrite(new ChatInput.Reaction(r)); Processed(r.Seq); return ValueTask.CompletedTask; };
            c.MessageEdited += (e, _) => { inputs.Writer.TryWrite(new ChatInput.Edited(e)); Processed(e.Seq); return ValueTask.CompletedTask; };
            c.GroupChanged += (g, _) => { Processed(g.Seq); return ValueTask.CompletedTask; };
            c.MessageFailed += (f, _) => { Processed(f.Seq); return ValueTask.CompletedTask; };
            c.SettingsChanged += (s, _) => { Processed(s.Seq); return ValueTask.CompletedTask; };
            c.UnknownFrameReceived += (u, _) => { if (u.Seq is { } seq) Processed(seq); return ValueTask.CompletedTask; };
            c.PresenceChanged += (p, _) => { inputs.Writer.TryWrite(new ChatInput.Presence(p)); return ValueTask.CompletedTask; };
            c.TypingChanged += (t, _) => { inputs.Writer.TryWrite(new ChatInput.Typing(t)); return ValueTask.CompletedTask; };
            c.ConnectionStateChanged += (s, _) => { inputs.Writer.TryWrite(new ChatInput.Connection(s.State)); return ValueTask.CompletedTask; };
        }

        await using var session = await Connected.OpenAsync(settings, AckMode.Manual, resume: true, Configure, cancellationToken);
        ChatTranscript transcript;
        PeerStatus peer;
        Target target;
        using (var deadline = Deadline.After(settings.Timeout, cancellationToken))
        {
            target = await Targets.ResolveAsync(session, settings.With, userMustExist: true, deadline.Token);
            transcript = new ChatTranscript(target.Conv, session.Me);
            peer = await LoadAsync(session.Client, target, transcript, settings.Limit, deadline.Token);
        }

        var chat = new ChatSession(session.Client, transcript, peer, inputs.Writer, TimeProvider.System, settings.Timeout);
        StartKeyboard(inputs.Writer);
        using var clock = new Timer(_ => inputs.Writer.TryWrite(new ChatInput.Tick()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            await chat.RunAsync(target.Title, inputs.Reader, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is a way to leave the chat.
        }
        await chat.DrainAsync();
        return chat.Unauthorized ? throw new ParleyException(ErrorCodes.Unauthorized, "token refused") : ExitCodes.Ok;
    }

    /// <summary>History, ticks, the read marker, and the other side's presence.</summary>
    private static async Task<PeerStatus> LoadAsync(ParleyClient client, Target target, ChatTranscript transcript, int limit, CancellationToken cancellationToken)
    {
        var conv = target.Conv;
        int others;
        try
        {
            others = target.Peer is { } p ? (p == transcript.Me ? 0 : 1) : (await client.GroupInfoAsync(conv, cancellationToken)).Members.Count - 1;
            foreach (var m in await client.HistoryAsync(conv, limit: limit, cancellationToken: cancellationToken)) transcript.AddHistory(m);
        }
        catch (ParleyException e) when (e.Code is ErrorCodes.NotFound or ErrorCodes.Forbidden)
        {
            throw new CliException(e.Code == ErrorCodes.NotFound ? ExitCodes.NotFound : ExitCodes.Forbidden, $"you cannot read {conv}: {e.Message}", e);
        }
        if (transcript.LastOwnN is { } ownN && others > 0)
        {
            // Receipts are cumulative: where the newest own message stands, every older one stands too.
            var receipts = await client.ReceiptsAsync(conv, ownN, cancellationToken);
            if (receipts.Read.Count >= others) transcript.ApplyReceipt(conv, ReceiptStatuses.Read, ownN);
            else if (receipts.Delivered.Count >= others) transcript.ApplyReceipt(conv, ReceiptStatuses.Delivered, ownN);
        }
        if (transcript.LastN is { } lastN) await client.ReadAsync(conv, lastN, cancellationToken);
        // Replies to messages older than the loaded history: their quoted lines come from history too.
        foreach (var n in transcript.TakeMissingQuotes()) transcript.SetQuote(n, await client.FindMessageAsync(conv, n, cancellationToken));

        var peer = new PeerStatus(conv, target.Peer is { } user && user != transcript.Me ? user : null, target.Peer is null ? others + 1 : 0, TimeProvider.System);
        if (target.Peer is { } other && other != transcript.Me)
        {
            var presence = await client.SubscribePresenceAsync([other], cancellationToken);
            if (presence.FirstOrDefault(s => s.User == other) is { } status) peer.Presence(status.Online, status.LastSeen);
        }
        return peer;
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
