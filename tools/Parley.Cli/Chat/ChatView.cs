using System.Globalization;
using Parley.Cli.Messages;
using Parley.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Parley.Cli.Chat;

/// <summary>Draws the transcript under a header with the other side's presence and typing, a status line and the input line.</summary>
internal static class ChatView
{
    public static IRenderable Render(ChatTranscript transcript, string title, string peerStatus, ConnectionState state, string? notice, string input)
    {
        var rows = new List<IRenderable>();
        foreach (var line in transcript.Lines)
        {
            if (line.ReplyTo is { } n) rows.Add(new Markup(QuoteLine(transcript, n)));
            rows.Add(new Markup(Format(line, transcript.Me)));
        }
        if (rows.Count == 0) rows.Add(new Markup("[grey]no messages yet: type one and press Enter[/]"));
        var header = peerStatus.Length == 0 ? $" {Markup.Escape(title)} " : $" {Markup.Escape(title)} · [green]{Markup.Escape(peerStatus)}[/] ";
        var panel = new Panel(new Rows(rows))
        {
            Header = new PanelHeader(header),
            Border = BoxBorder.Rounded,
            Expand = true,
        };
        // One's own connection is news only when it is not up.
        var status = state != ConnectionState.Online ? $"[yellow]{StateText(state)}[/]"
            : notice is not null ? $"[yellow]{Markup.Escape(notice)}[/]"
            : "[grey]Enter sends · Esc or Ctrl+C quits[/]";
        return new Rows(panel, new Markup(status), new Markup($"[bold]>[/] {Markup.Escape(input)}[blink]_[/]"));
    }

    private static string Format(ChatLine line, string me)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(line.Ts).ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
        var who = line.From == me ? "[green]you[/]" : $"[cyan]{Markup.Escape(line.From)}[/]";
        var text = $"[grey]{time}[/] {who}: {Markup.Escape(line.Text)}";
        if (line.Edited) text += " [grey](edited)[/]";
        if (line.Reactions.Count > 0) text += $" [yellow]{Markup.Escape(MessageText.Reactions(line.Reactions))}[/]";
        return line.Tick is { } tick ? $"{text} {TickText(tick)}{(line.Error is null ? "" : $" [red]{Markup.Escape(line.Error)}[/]")}" : text;
    }

    /// <summary>The line a reply quotes, drawn above it: <c>┃ bob: the quoted text</c>.</summary>
    private static string QuoteLine(ChatTranscript transcript, long n)
    {
        var quoted = transcript.Quote(n) is { } q ? $"{(q.From == transcript.Me ? "you" : q.From)}: {q.Text}" : $"#{n}";
        // One line, however long the quoted message: it is a reminder, the message itself is further up.
        var firstLine = quoted.Split('\n')[0];
        if (firstLine.Length > 60) firstLine = firstLine[..59] + "…";
        return $"      [grey]┃ {Markup.Escape(firstLine)}[/]";
    }

    private static string TickText(Tick tick) => tick switch
    {
        Tick.Sending => "[grey]…[/]",
        Tick.Stored => "[grey]✓[/]",
        Tick.Delivered => "[grey]✓✓[/]",
        Tick.Read => "[blue]✓✓[/]",
        _ => "[red]✗[/]",
    };

    private static string StateText(ConnectionState state) => state switch
    {
        ConnectionState.Reconnecting or ConnectionState.Connecting => "connection lost: reconnecting…",
        _ => $"connection {state.ToString().ToLowerInvariant()}",
    };
}
