using System.ComponentModel;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>
/// <c>parley tail</c>: prints inbox events as they come and acknowledges each once printed, resuming after the last
/// seq processed here (kept in the config file), until Ctrl+C or <c>--count</c> messages.
/// </summary>
internal sealed class TailCommand : AsyncCommand<TailCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandOption("--count <N>")]
        [Description("Exit after N messages")]
        public int? Count { get; set; }

        public override ValidationResult Validate() =>
            Count is < 1 ? ValidationResult.Error("--count must be at least 1") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = ConfigStore.Require();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var messages = 0;
        ParleyClient? client = null;

        void Processed(long seq)
        {
            // Saved before the ack: a crash in between shows an event twice rather than never.
            config = config with { LastSeq = seq };
            ConfigStore.Save(config);
            client!.Acknowledge(seq);
        }

        void Configure(ParleyClient c)
        {
            client = c;
            c.MessageReceived += (m, _) =>
            {
                Console.WriteLine($"[{m.Conv}] #{m.N} {m.From}: {MessageText.Body(m.Body, m.Kind, m.Media?.Mime)}");
                Processed(m.Seq);
                if (settings.Count is { } count && ++messages >= count) done.TrySetResult();
                return ValueTask.CompletedTask;
            };
            c.ReceiptReceived += (r, _) =>
            {
                Console.WriteLine($"[{r.Conv}] {(r.Status == ReceiptStatuses.Read ? "read" : "delivered")} by {r.By} up to #{r.UpTo}");
                Processed(r.Seq);
                return ValueTask.CompletedTask;
            };
            c.GroupChanged += (g, _) =>
            {
                Console.WriteLine($"[{g.Conv}] {GroupText(g)}");
                Processed(g.Seq);
                return ValueTask.CompletedTask;
            };
            c.MessageFailed += (f, _) =>
            {
                Console.WriteLine($"[{f.Conv}] message {f.Id} will never reach {f.To} ({f.Reason})");
                Processed(f.Seq);
                return ValueTask.CompletedTask;
            };
            c.MessageDeleted += (d, _) =>
            {
                Console.WriteLine($"[{d.Conv}] #{d.N} was deleted");
                Processed(d.Seq);
                return ValueTask.CompletedTask;
            };
            c.SettingsChanged += (s, _) =>
            {
                Console.WriteLine($"[{s.Conv}] retention {(s.Retention is { } ttl ? ttl + " s" : "permanent")}");
                Processed(s.Seq);
                return ValueTask.CompletedTask;
            };
            c.UnknownFrameReceived += (u, _) =>
            {
                if (u.Seq is { } seq) Processed(seq);
                return ValueTask.CompletedTask;
            };
            c.ConnectionStateChanged += (s, _) =>
            {
                if (s.State == ConnectionState.Unauthorized) done.TrySetException(new ParleyException(ErrorCodes.Unauthorized, s.Reason ?? "token refused"));
                else if (s.State == ConnectionState.Reconnecting && c.Welcome is not null) Console.Error.WriteLine("connection lost, reconnecting...");
                else if (s.State == ConnectionState.Online && s.Previous == ConnectionState.Reconnecting) Console.Error.WriteLine("reconnected");
                return ValueTask.CompletedTask;
            };
        }

        await using var connected = await Connections.ConnectAsync(
            config, settings.ServerUri(config), AckMode.Manual, config.LastSeq, settings.Timeout, Configure, cancellationToken);
        Console.Error.WriteLine($"tailing as {config.User} (Ctrl+C to stop)");
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
        GroupEventKinds.Admin => $"{g.By} {(g.Admin == true ? "made" : "unmade")} {g.Member} admin",
        _ => $"{g.Event} by {g.By}",
    };

    private static string Join(IReadOnlyList<string>? members) => members is null ? "" : string.Join(", ", members);
}
