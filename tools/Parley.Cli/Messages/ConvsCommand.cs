using System.Globalization;
using Parley.Cli.Failures;
using Parley.Cli.Output;
using Parley.Cli.Sessions;
using Parley.Protocol.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Parley.Cli.Messages;

/// <summary><c>parley convs</c>: the user's conversations; a table on a terminal, tab-separated lines elsewhere.</summary>
internal sealed class ConvsCommand : AsyncCommand<ServerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        var printer = settings.Printer();
        using var deadline = Deadline.After(settings.Timeout, cancellationToken);
        await using var session = await Connected.OpenAsync(settings, deadline.Token);
        var conversations = await session.Client.ConversationsAsync(deadline.Token);
        if (printer.Json)
        {
            Printer.Document(w =>
            {
                w.WriteStartArray();
                foreach (var c in conversations)
                {
                    w.WriteStartObject();
                    w.WriteString("conv", c.Conv);
                    w.WriteString("kind", c.Kind);
                    w.WriteString("title", Title(c.Conv, c.Name, null, session.Me));
                    if (c.Name is not null) w.WriteString("name", c.Name);
                    if (c.Description is not null) w.WriteString("description", c.Description);
                    if (c.Members is not null) ProtocolJson.Strings(w, "members", c.Members);
                    w.WriteNumber("lastN", c.LastN);
                    w.WriteNumber("readUpTo", c.ReadUpTo);
                    w.WriteNumber("unread", c.Unread);
                    ProtocolJson.Retention(w, c.Retention);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }
        if (conversations.Count == 0)
        {
            Printer.Note("no conversations yet");
            return ExitCodes.Ok;
        }
        if (!Printer.IsTerminal)
        {
            // For scripts: one line per conversation, tab-separated, no header, no box drawing.
            foreach (var c in conversations)
            {
                Printer.Line(string.Join('\t', c.Conv, c.Kind, Title(c.Conv, c.Name, c.Members, session.Me), Number(c.LastN), Number(c.Unread)));
            }
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("conversation", "kind", "name/members", "lastN", "unread");
        foreach (var c in conversations)
        {
            table.AddRow(
                Markup.Escape(c.Conv),
                c.Kind,
                Markup.Escape(Title(c.Conv, c.Name, c.Members, session.Me)),
                Number(c.LastN),
                c.Unread > 0 ? $"[bold]{c.Unread}[/]" : "0");
        }
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }

    internal static string Title(string conv, string? name, IReadOnlyList<string>? members, string me)
    {
        if (ConversationIds.TryGetPeer(conv, me, out var peer)) return peer;
        var who = members is { Count: > 0 } ? $" ({string.Join(", ", members)})" : "";
        return (name ?? conv) + who;
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
