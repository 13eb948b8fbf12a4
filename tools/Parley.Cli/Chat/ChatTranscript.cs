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

    public string Conv { get; } = conv;

    public string Me { get; } = me;

    public IReadOnlyList<ChatLine> Lines => _lines;

    public void AddHistory(HistoryMessage m) =>
        Add(new ChatLine
        {
            Id = m.Id, Cid = m.Cid, N = m.N, From = m.From, Ts = m.Ts,
            Text = MessageText.Of(m),
            Tick = m.From == Me ? Chat.Tick.Stored : null,
        });

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
        if (_lines.Find(l => l.N == n) is { } line) line.Text = "(deleted)";
    }

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
