using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley read &lt;with&gt;</c>: marks a conversation read (the senders' ticks turn blue), up to its last message or <c>--up-to</c>.</summary>
internal sealed class ReadCommand : AsyncCommand<ReadCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description(Targets.Help)]
        public string With { get; set; } = "";

        [CommandOption("--up-to <N>")]
        [Description("Read up to #N only. Default: the last message")]
        public string? UpToText { get; set; }

        public override ValidationResult Validate() =>
            UpToText is not null && !WholeNumber.TryParse("--up-to", UpToText, 1, long.MaxValue, out _, out var error) ? error : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var target = await Targets.ResolveAsync(session, settings.With, userMustExist: false, deadline.Token);
        var upTo = settings.UpToText is { } text ? WholeNumber.Parse(text) : (await session.Client.HistoryAsync(target.Conv, limit: 1, cancellationToken: deadline.Token)) is [.., var last] ? last.N : (long?)null;
        if (upTo is null)
        {
            Printer.Note($"no messages in {target.Conv}: nothing to read");
            return ExitCodes.Ok;
        }
        await session.Client.ReadAsync(target.Conv, upTo.Value, deadline.Token);
        printer.Result($"read {target.Conv} up to #{upTo}", w =>
        {
            w.WriteString("conv", target.Conv);
            w.WriteNumber("upTo", upTo.Value);
        });
        return ExitCodes.Ok;
    }
}
