using System.ComponentModel;
using Parley.Cli.Parsing;
using Parley.Cli.Sessions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>The operands of a command about one message: its conversation and its number.</summary>
internal class MessageSettings : ServerSettings
{
    [CommandArgument(0, "<with>")]
    [Description(Targets.Help)]
    public string With { get; set; } = "";

    [CommandArgument(1, "<n>")]
    [Description("The message's number (#n in history)")]
    public string NText { get; set; } = "";

    public long N => WholeNumber.Parse(NText);

    public override ValidationResult Validate() =>
        WholeNumber.TryParse("<n>", NText, 1, long.MaxValue, out _, out var error) ? base.Validate() : error;
}

/// <summary>A command about one message that takes a text: as an operand, or all of standard input with <c>--stdin</c>.</summary>
internal sealed class MessageTextSettings : MessageSettings
{
    [CommandArgument(2, "[text]")]
    [Description("The text. Text that starts with '-' goes after --")]
    public string? Text { get; set; }

    [CommandOption("--stdin")]
    [Description("Read the text from standard input (all of it; the last line break is dropped)")]
    public bool Stdin { get; set; }

    public override ValidationResult Validate()
    {
        if (Stdin && Text is not null) return ValidationResult.Error("give the text or --stdin, not both");
        if (!Stdin && Text is null) return ValidationResult.Error("give the text or --stdin");
        return base.Validate();
    }
}
