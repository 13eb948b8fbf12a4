using System.ComponentModel;
using System.Globalization;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley history &lt;with&gt;</c>: the newest messages, oldest first.</summary>
internal sealed class HistoryCommand : AsyncCommand<HistoryCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description(Targets.Help)]
        public string With { get; set; } = "";

        [CommandOption("--limit <N>")]
        [Description("How many messages, 1 to 200 (the protocol's most)")]
        public string LimitText { get; set; } = ParleyClient.DefaultHistoryLimit.ToString(CultureInfo.InvariantCulture);

        [CommandOption("--before <N>")]
        [Description("Only messages before #N (to page back)")]
        public string? BeforeText { get; set; }

        public int Limit => (int)WholeNumber.Parse(LimitText);

        public long? Before => BeforeText is null ? null : WholeNumber.Parse(BeforeText);

        public override ValidationResult Validate()
        {
            if (!WholeNumber.TryParse("--limit", LimitText, 1, ParleyClient.MaxHistoryLimit, out _, out var error)) return error;
            if (BeforeText is not null && !WholeNumber.TryParse("--before", BeforeText, 1, long.MaxValue, out _, out error)) return error;
            return base.Validate();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var target = await Targets.ResolveAsync(session, settings.With, userMustExist: false, deadline.Token);
        try
        {
            var messages = await session.Client.HistoryAsync(target.Conv, settings.Before, settings.Limit, deadline.Token);
            if (printer.Json)
            {
                Printer.Document(w =>
                {
                    w.WriteStartArray();
                    foreach (var m in messages) ProtocolJson.Message(w, m);
                    w.WriteEndArray();
                });
                return ExitCodes.Ok;
            }
            foreach (var m in messages) Printer.Line($"#{m.N} {MessageText.Time(m.Ts)} {m.From}: {MessageText.Line(m)}");
            if (messages.Count == 0) Printer.Note($"no messages in {target.Conv}");
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code is ErrorCodes.NotFound or ErrorCodes.Forbidden)
        {
            throw new CliException(e.Code == ErrorCodes.NotFound ? ExitCodes.NotFound : ExitCodes.Forbidden, $"you cannot read {target.Conv}: {e.Message}", e);
        }
    }
}
