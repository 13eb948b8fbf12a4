using Parley.Cli.Messages;
using Parley.Protocol.Client;

namespace Parley.Cli.Chat;

/// <summary>
/// The messages of one conversation as the chat shows them, in order of n (pending sends last). A message is known by
/// its id, and an own message also by its cid, so the send's reply and the same message coming back through the inbox
/// (the sender's devices get their own messages) make one line.
/// </summary>
internal sealed class ChatTranscript(string conv, string me)
{
    private readonly List<ChatLine> _lines = [];

    // Quoted messages that are not among the lines, as history gave them (null: none the user can see), and those asked for.
    private readonly Dictionary<long, HistoryMessage?> _quotes = [];

    public string Conv { get; } = conv;

    public string Me { get; } = me;

    public IReadOnlyList<ChatLine> Lines => _lines;

    public void AddHistory(HistoryMessage m)
    {
        var line = new ChatLine
        {
            Id = m.Id, Cid = m.Cid, N = m.N, From = m.From, Ts = m.Ts,
            Text = MessageText.Of(m),
            Tick = m.From == Me ? Chat.Tick.Stored : null,
            Kind = m.Kind, Media = m.Media, ReplyTo = m.ReplyTo, Edited = m.EditedAt is not null,
        };
        line.Reactions.AddRange(m.Reactions);
        Add(line);
    }

    /// <returns>True for a message of someone else not seen before (to be marked read).</returns>
    public bool AddIncoming(MessageEvent m)
    {
        if (m.Conv != Conv) return false;
        var existing = _lines.Find(l => l.Id == m.Id || (m.From == Me && l.Cid == m.Cid));
        if (existing is not null)
        {
            Confirm(existing, m.Id, m.N, m.Ts);
            return false;
        }
        Add(new ChatLine
        {
            Id = m.Id, Cid = m.Cid, N = m.N, From = m.From, Ts = m.Ts,
            Text = MessageText.Of(m),
            Tick = m.From == Me ? Chat.Tick.Stored : null,
            Kind = m.Kind, Media = m.Media, ReplyTo = m.ReplyTo, Edited = m.EditedAt is not null,
        });
        return m.From != Me;
    }

    public void AddSending(string cid, string text, long ts) =>
        _lines.Add(new ChatLine { Cid = cid, From = Me, Text = text, Ts = ts, Tick = Chat.Tick.Sending });

    public void Sent(string cid, SendResult result)
    {
        var line = _lines.Find(l => l.Cid == cid);
        if (line is not null) Confirm(line, result.Id, result.N, result.Ts);
    }

    public void Failed(string cid, string error)
    {
        var line = _lines.Find(l => l.Cid == cid);
        if (line is null) return;
        line.Tick = Chat.Tick.Failed;
        line.Error = error;
    }

    /// <summary>A receipt for own messages up to n: delivered or read, never moving a tick back.</summary>
    public void ApplyReceipt(string conv, string status, long upTo)
    {
        if (conv != Conv) return;
        var tick = status == ReceiptStatuses.Read ? Chat.Tick.Read : Chat.Tick.Delivered;
        foreach (var line in _lines)
        {
            if (line.From == Me && line.N <= upTo && line.Tick is { } current && current is >= Chat.Tick.Stored and < Chat.Tick.Failed && current < tick)
            {
                line.Tick = tick;
            }
        }
    }

    /// <summary>A message was deleted for everyone: its line says so.</summary>
    public void Delete(string conv, long n)
    {
        if (conv != Conv) return;
        if (_lines.Find(l => l.N == n) is not { } line) return;
        // A deleted message loses its reactions with its body.
        line.Text = "(deleted)";
        line.Reactions.Clear();
        line.Edited = false;
    }

    /// <summary>A reaction was made, replaced or taken back (null emoji).</summary>
    public void React(ReactionEvent e)
    {
        if (e.Conv != Conv || _lines.Find(l => l.N == e.N) is not { } line) return;
        var at = line.Reactions.FindIndex(r => r.By == e.By);
        if (e.Emoji is null)
        {
            if (at >= 0) line.Reactions.RemoveAt(at);
        }
        else if (at >= 0)
        {
            line.Reactions[at] = new MessageReaction(e.By, e.Emoji);
        }
        else
        {
            line.Reactions.Add(new MessageReaction(e.By, e.Emoji));
        }
    }

    /// <summary>A message was edited: its line shows the new body, marked edited.</summary>
    public void Edit(EditedEvent e)
    {
        if (e.Conv != Conv) return;
        if (_lines.Find(l => l.N == e.N) is { } line)
        {
            line.Text = MessageText.Of(line.Kind, e.Body, line.Media);
            line.Edited = true;
        }
        if (_quotes.TryGetValue(e.N, out var quoted) && quoted is not null) _quotes[e.N] = quoted with { Body = e.Body, EditedAt = e.EditedAt };
    }

    /// <summary>The quoted message's sender and text, from the lines or from history; null while unknown or when none can be seen.</summary>
    public (string From, string Text)? Quote(long n)
    {
        if (_lines.Find(l => l.N == n) is { } line) return (line.From, line.Text);
        return _quotes.TryGetValue(n, out var m) && m is not null ? (m.From, MessageText.Of(m)) : null;
    }

    /// <summary>Quoted messages that are neither among the lines nor asked for yet; they count as asked for from now on.</summary>
    public IReadOnlyList<long> TakeMissingQuotes()
    {
        var missing = _lines.Where(l => l.ReplyTo is { } n && !_quotes.ContainsKey(n) && !_lines.Exists(o => o.N == n))
            .Select(l => l.ReplyTo!.Value).Distinct().ToList();
        foreach (var n in missing) _quotes[n] = null;
        return missing;
    }

    /// <summary>A quoted message as history gave it (null: none the user can see).</summary>
    public void SetQuote(long n, HistoryMessage? m) => _quotes[n] = m;

    public long? LastOwnN => _lines.LastOrDefault(l => l.From == Me && l.N is not null)?.N;

    public long? LastN => _lines.LastOrDefault(l => l.N is not null)?.N;

    private static void Confirm(ChatLine line, string id, long n, long ts)
    {
        line.Id = id;
        line.N = n;
        line.Ts = ts;
        if (line.Tick is Chat.Tick.Sending) line.Tick = Chat.Tick.Stored;
    }

    private void Add(ChatLine line)
    {
        // Keep n order; lines still sending stay at the end.
        var index = _lines.FindLastIndex(l => l.N is not null && l.N <= line.N) + 1;
        _lines.Insert(index, line);
    }
}
