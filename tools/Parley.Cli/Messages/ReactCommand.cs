using System.ComponentModel;
using System.Text;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary>
/// <c>parley react &lt;with&gt; &lt;n&gt; &lt;emoji&gt;</c>: one's reaction to message #n (it replaces an earlier one), or
/// <c>--remove</c> to take it back.
/// </summary>
internal sealed class ReactCommand : AsyncCommand<ReactCommand.Settings>
{
    /// <summary>The protocol's most UTF-8 bytes for a reaction.</summary>
    public const int MaxEmojiBytes = 32;

    internal sealed class Settings : MessageSettings
    {
        [CommandArgument(2, "[emoji]")]
        [Description("The reaction (👍, ❤️, ...: any text of at most 32 bytes); it replaces your earlier one")]
        public string? Emoji { get; set; }

        [CommandOption("--remove")]
        [Description("Take your reaction back")]
        public bool Remove { get; set; }

        public override ValidationResult Validate()
        {
            if (Remove && Emoji is not null) return ValidationResult.Error("give the reaction or --remove, not both");
            if (!Remove && Emoji is null) return ValidationResult.Error("give the reaction (an emoji) or --remove");
            return base.Validate();
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var emoji = settings.Remove ? null : settings.Emoji;
        if (emoji is not null && (emoji.Length == 0 || Encoding.UTF8.GetByteCount(emoji) > MaxEmojiBytes))
        {
            throw new CliException(ExitCodes.Invalid, $"a reaction is 1 to {MaxEmojiBytes} bytes in UTF-8, '{emoji}' is {Encoding.UTF8.GetByteCount(emoji)}: nothing was changed");
        }
        var n = settings.N;
        return MessageCommands.RunAsync(settings, async (session, target, ct) =>
        {
            try
            {
                await session.Client.ReactAsync(target.Conv, n, emoji, ct);
            }
            catch (ParleyException e) when (e.Code == ErrorCodes.BadRequest)
            {
                throw new CliException(ExitCodes.Invalid, $"the server refused the reaction '{emoji}': {e.Message}", e);
            }
            var text = emoji is null ? $"took back your reaction to #{n} in {target.Conv}" : $"reacted {emoji} to #{n} in {target.Conv}";
            return new Outcome(text, w =>
            {
                w.WriteString("conv", target.Conv);
                w.WriteNumber("n", n);
                if (emoji is null) w.WriteNull("emoji");
                else w.WriteString("emoji", emoji);
            });
        },
        target => $"no message #{n} in {target.Conv} that you can see",
        (target, why) => $"you cannot react in {target.Conv}: {why}",
        cancellationToken);
    }
}
