using System.ComponentModel;
using Parley.Cli.Failures;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley delete &lt;with&gt; &lt;n&gt;</c>: deletes a message for everyone (its sender, or a group admin).</summary>
internal sealed class DeleteCommand : AsyncCommand<DeleteCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description(Targets.Help)]
        public string With { get; set; } = "";

        [CommandArgument(1, "<n>")]
        [Description("The message's number (#n in history)")]
        public string NText { get; set; } = "";

        public override ValidationResult Validate() =>
            WholeNumber.TryParse("<n>", NText, 1, long.MaxValue, out _, out var error) ? base.Validate() : error;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        var n = WholeNumber.Parse(settings.NText);
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var target = await Targets.ResolveAsync(session, settings.With, userMustExist: false, deadline.Token);
        try
        {
            await session.Client.DeleteAsync(target.Conv, n, deadline.Token);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"no message #{n} in {target.Conv}", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Forbidden)
        {
            throw new CliException(ExitCodes.Forbidden, $"only its sender or a group admin may delete #{n} in {target.Conv}", e);
        }
        printer.Result($"deleted #{n} in {target.Conv}", w =>
        {
            w.WriteString("conv", target.Conv);
            w.WriteNumber("n", n);
        });
        return ExitCodes.Ok;
    }
}
