using System.Globalization;
using Parley.Cli.Config;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley convs</c>: the user's conversations as a table.</summary>
internal sealed class ConvsCommand : AsyncCommand<ServerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        var config = ConfigStore.Require();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var client = await LoggedIn.ConnectAsync(settings, config, deadline.Token);
        var conversations = await client.ConversationsAsync(deadline.Token);
        var table = new Table().AddColumns("conversation", "kind", "name/members", "lastN", "unread");
        foreach (var c in conversations)
        {
            table.AddRow(
                Markup.Escape(c.Conv),
                c.Kind,
                Markup.Escape(Title(c.Conv, c.Name, c.Members, config.User)),
                c.LastN.ToString(CultureInfo.InvariantCulture),
                c.Unread > 0 ? $"[bold]{c.Unread}[/]" : "0");
        }
        if (conversations.Count == 0) Console.Error.WriteLine("no conversations yet");
        else AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    internal static string Title(string conv, string? name, IReadOnlyList<string>? members, string me)
    {
        if (ConversationIds.TryGetPeer(conv, me, out var peer)) return peer;
        var who = members is { Count: > 0 } ? $" ({string.Join(", ", members)})" : "";
        return (name ?? conv) + who;
    }
}
