using System.ComponentModel;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley history &lt;user|conv&gt;</c>: the newest messages, oldest first.</summary>
internal sealed class HistoryCommand : AsyncCommand<HistoryCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<with>")]
        [Description("A username (the direct conversation with you) or a conversation id")]
        public string With { get; set; } = "";

        [CommandOption("--limit <N>")]
        [Description("How many messages, 1 to 200")]
        [DefaultValue(50)]
        public int Limit { get; set; } = 50;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 200 ? ValidationResult.Error("--limit must be between 1 and 200") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = ConfigStore.Require();
        var conv = Targets.Conversation(settings.With, config.User);
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var client = await LoggedIn.ConnectAsync(settings, config, deadline.Token);
        try
        {
            var messages = await client.HistoryAsync(conv, limit: settings.Limit, cancellationToken: deadline.Token);
            foreach (var m in messages)
            {
                Console.WriteLine($"#{m.N} {MessageText.Time(m.Ts)} {m.From}: {MessageText.Body(m.Body, m.Kind, m.Media?.Mime)}");
            }
            if (messages.Count == 0) Console.Error.WriteLine($"no messages in {conv}");
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code is ErrorCodes.NotFound or ErrorCodes.Forbidden)
        {
            throw new CliException(e.Code == ErrorCodes.NotFound ? ExitCodes.NotFound : ExitCodes.Forbidden, $"no conversation {conv} that you can read ({e.Message})", e);
        }
    }
}
