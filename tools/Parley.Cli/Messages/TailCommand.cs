using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>
/// <c>parley tail</c>: prints inbox events as they come and acknowledges each once printed, resuming after the last
/// seq processed here (kept in the profile's config file), until Ctrl+C or <c>--count</c> messages.
/// </summary>
internal sealed class TailCommand : AsyncCommand<TailCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandOption("--count <N>")]
        [Description("Exit after N messages")]
        public string? CountText { get; set; }

        public long? Count => CountText is null ? null : WholeNumber.Parse(CountText);

        public override ValidationResult Validate() =>
            CountText is not null && !WholeNumber.TryParse("--count", CountText, 1, long.MaxValue, out _, out var error) ? error : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        var store = settings.Store();
        var config = store.Require();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var messages = 0L;
        ParleyClient? client = null;

        void Print(InboxEvent e, string text)
        {
            if (printer.Json) Printer.Document(w => ProtocolJson.InboxEvent(w, e));
            else Printer.Line($"[{e.Conv}] {text}");
            // Saved before the ack: a crash in between shows an event twice rather than never.
            config = config with { LastSeq = e.Seq };
            store.Save(config);
            client!.Acknowledge(e.Seq);
        }

        void Configure(ParleyClient c)
        {
            client = c;
            c.MessageReceived += (m, _) =>
            {
                Print(m, $"#{m.N} {m.From}: {MessageText.Line(m)}");
                if (settings.Count is { } count && ++messages >= count) done.TrySetResult();
                return ValueTask.CompletedTask;
            };
            c.ReceiptReceived += (r, _) =>
            {
                Print(r, $"{(r.Status == ReceiptStatuses.Read ? "read" : "delivered")} by {r.By} up to #{r.UpTo}");
                return ValueTask.CompletedTask;
            };
            c.GroupChanged += (g, _) =>
            {
                Print(g, GroupText(g));
                return ValueTask.CompletedTask;
            };
            c.MessageFailed += (f, _) =>
            {
                Print(f, $"message {f.Id} will never reach {f.To} ({f.Reason})");
                return ValueTask.CompletedTask;
            };
            c.MessageDeleted += (d, _) =>
            {
                Print(d, $"#{d.N} was deleted");
                return ValueTask.CompletedTask;
            };
            c.ReactionReceived += (r, _) =>
            {
                Print(r, r.Emoji is null ? $"#{r.N} {r.By} took back their reaction" : $"#{r.N} {r.By} reacted {r.Emoji}");
                return ValueTask.CompletedTask;
            };
            c.MessageEdited += (e, _) =>
            {
                Print(e, $"#{e.N} edited: {MessageText.Of(MessageKinds.Text, e.Body, null)}");
                return ValueTask.CompletedTask;
            };
            c.SettingsChanged += (s, _) =>
            {
                Print(s, $"retention {(s.Retention is { } ttl ? ttl + " s" : "permanent")}");
                return ValueTask.CompletedTask;
            };
            c.UnknownFrameReceived += (u, _) =>
            {
                if (u.Seq is not { } seq) return ValueTask.CompletedTask;
                if (printer.Json) Printer.Document(w => ProtocolJson.InboxEvent(w, u));
                config = config with { LastSeq = seq };
                store.Save(config);
                c.Acknowledge(seq);
                return ValueTask.CompletedTask;
            };
            c.ConnectionStateChanged += (s, _) =>
            {
                if (s.State == ConnectionState.Unauthorized) done.TrySetException(new ParleyException(ErrorCodes.Unauthorized, s.Reason ?? "token refused"));
                else if (s.State == ConnectionState.Reconnecting) Printer.Note("connection lost, reconnecting...");
                else if (s.State == ConnectionState.Online && s.Previous == ConnectionState.Reconnecting) Printer.Note("reconnected");
                return ValueTask.CompletedTask;
            };
        }

        await using var session = await Connected.OpenAsync(settings, AckMode.Manual, resume: true, Configure, cancellationToken);
        Printer.Note($"tailing as {session.Me} (Ctrl+C to stop)");
        try
        {
            await done.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how tail is meant to end.
        }
        return ExitCodes.Ok;
    }

    internal static string GroupText(GroupEvent g) => g.Event switch
    {
        GroupEventKinds.Created => $"{g.By} created \"{g.Name}\" with {Join(g.Members)}",
        GroupEventKinds.Added => $"{g.By} added {Join(g.Members)}",
        GroupEventKinds.Removed => $"{g.By} removed {Join(g.Members)}",
        GroupEventKinds.Left => $"{g.Member} left",
        GroupEventKinds.Renamed => $"{g.By} renamed the group \"{g.Name}\"",
        GroupEventKinds.Described => g.Description is { Length: > 0 } d ? $"{g.By} changed the group description: \"{d}\"" : $"{g.By} cleared the group description",
        GroupEventKinds.Admin => $"{g.By} {(g.Admin == true ? "made" : "unmade")} {g.Member} admin",
        GroupEventKinds.Joined => $"{g.Member} joined with an invite link",
        _ => $"{g.Event} by {g.By}",
    };

    private static string Join(IReadOnlyList<string>? members) => members is null ? "" : string.Join(", ", members);
}
