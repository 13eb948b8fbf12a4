using System.ComponentModel;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley send &lt;user|conv&gt; &lt;text&gt;</c>: returns once the server stored the message (the single tick).</summary>
internal sealed class SendCommand : AsyncCommand<SendCommand.Settings>
{
    internal sealed class Settings : ServerSettings
    {
        [CommandArgument(0, "<to>")]
        [Description("A username or a conversation id (d:a:b, g:...)")]
        public string To { get; set; } = "";

        [CommandArgument(1, "<text>")]
        [Description("The message")]
        public string Text { get; set; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = ConfigStore.Require();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var client = await LoggedIn.ConnectAsync(settings, config, deadline.Token);
        try
        {
            var sent = await client.SendTextAsync(settings.To, settings.Text, deadline.Token);
            Console.WriteLine($"sent {sent.Id} n={sent.N} conv={sent.Conv}");
            return ExitCodes.Ok;
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"unknown {Targets.Describe(settings.To)}", e);
        }
        catch (ParleyException e) when (e.Code == ErrorCodes.Forbidden)
        {
            throw new CliException(ExitCodes.Forbidden, $"you are not a member of {Targets.Describe(settings.To)}", e);
        }
    }
}
