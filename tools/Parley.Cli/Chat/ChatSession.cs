using System.Text;
using System.Threading.Channels;
using Parley.Client;
using Parley.Protocol;
using Parley.Protocol.Client;
using Spectre.Console;

namespace Parley.Cli.Chat;

/// <summary>The chat's loop: applies each input to the transcript, the header and the input line, and redraws.</summary>
internal sealed class ChatSession(
    ParleyClient client, ChatTranscript transcript, PeerStatus peer, ChannelWriter<ChatInput> inputs, TimeProvider time, TimeSpan drainTimeout)
{
    /// <summary>How often <c>composing</c> is repeated while the user types (the peer forgets it after <see cref="PeerStatus.TypingShownFor"/>).</summary>
    private static readonly TimeSpan TypingRepeat = TimeSpan.FromSeconds(4);

    private readonly StringBuilder _line = new();
    private readonly List<Task> _background = [];
    private ConnectionState _state = ConnectionState.Online;
    private string? _notice;
    private long? _composingSentAt;

    public bool Unauthorized { get; private set; }

    public async Task RunAsync(string title, ChannelReader<ChatInput> reader, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(ChatView.Render(transcript, title, peer.Text(), _state, _notice, ""))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Crop)
            .Cropping(VerticalOverflowCropping.Top)
            .StartAsync(async live =>
            {
                await foreach (var input in reader.ReadAllAsync(cancellationToken))
                {
                    if (!Apply(input)) return;
                    live.UpdateTarget(ChatView.Render(transcript, title, peer.Text(), _state, _notice, _line.ToString()));
                }
            });
    }

    /// <summary>Waits (bounded) for the sends still on their way, so that quitting right after Enter still sends.</summary>
    public async Task DrainAsync()
    {
        try
        {
            await Task.WhenAll(_background).WaitAsync(drainTimeout);
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync("some messages were not confirmed as stored before quitting");
        }
    }

    /// <returns>False to quit.</returns>
    private bool Apply(ChatInput input)
    {
        switch (input)
        {
            case ChatInput.Key key:
                return OnKey(key.Info);
            case ChatInput.Message m:
                if (m.Event.Conv == transcript.Conv) peer.MessageFrom(m.Event.From);
                if (transcript.AddIncoming(m.Event)) Background(client.ReadAsync(transcript.Conv, m.Event.N), null);
                else if (m.Event.Conv != transcript.Conv && m.Event.From != transcript.Me) _notice = $"new message from {m.Event.From} in {m.Event.Conv}";
                FetchQuotes();
                return true;
            case ChatInput.Receipt r:
                transcript.ApplyReceipt(r.Event.Conv, r.Event.Status, r.Event.UpTo);
                return true;
            case ChatInput.Deleted d:
                transcript.Delete(d.Event.Conv, d.Event.N);
                return true;
            case ChatInput.Reaction r:
                transcript.React(r.Event);
                return true;
            case ChatInput.Edited e:
                transcript.Edit(e.Event);
                return true;
            case ChatInput.Quoted q:
                transcript.SetQuote(q.N, q.Found);
                return true;
            case ChatInput.Presence p:
                peer.Apply(p.Event);
                return true;
            case ChatInput.Typing t:
                if (t.Event.User != transcript.Me) peer.Apply(t.Event);
                return true;
            case ChatInput.Tick:
                peer.Expire();
                return true;
            case ChatInput.Sent s:
                transcript.Sent(s.Cid, s.Result);
                return true;
            case ChatInput.SendFailed f:
                transcript.Failed(f.Cid, f.Error);
                return true;
            case ChatInput.Notice n:
                _notice = n.Text;
                return true;
            case ChatInput.Connection c:
                _state = c.State;
                Unauthorized = c.State == ConnectionState.Unauthorized;
                return !Unauthorized;
            default:
                return false;
        }
    }

    private bool OnKey(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Escape:
                return false;
            case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && _line.Length == 0:
                return false;
            case ConsoleKey.Enter:
                var text = _line.ToString().Trim();
                _line.Clear();
                if (text == "/quit") return false;
                if (text.Length > 0) Send(text);
                return true;
            case ConsoleKey.Backspace:
                if (_line.Length > 0) _line.Length--;
                return true;
            default:
                if (char.IsControl(key.KeyChar)) return true;
                _line.Append(key.KeyChar);
                Composing();
                return true;
        }
    }

    /// <summary>Asks history for quoted messages that are not on screen (older than what was loaded); each arrives as <see cref="ChatInput.Quoted"/>.</summary>
    private void FetchQuotes()
    {
        foreach (var n in transcript.TakeMissingQuotes()) Background(FetchQuoteAsync(n), null);
    }

    private async Task FetchQuoteAsync(long n)
    {
        var m = await client.FindMessageAsync(transcript.Conv, n);
        inputs.TryWrite(new ChatInput.Quoted(n, m));
    }

    private void Composing()
    {
        if (_composingSentAt is { } at && time.GetElapsedTime(at) < TypingRepeat) return;
        _composingSentAt = time.GetTimestamp();
        // Typing is a courtesy: when the connection is down it is simply not shown.
        Background(IgnoreFailureAsync(client.SendTypingAsync(transcript.Conv, TypingStates.Composing)), null);
    }

    private void Send(string text)
    {
        var cid = Guid.NewGuid().ToString();
        transcript.AddSending(cid, text, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _notice = null;
        _composingSentAt = null;
        Background(SendAsync(cid, text), cid);
    }

    private async Task SendAsync(string cid, string text)
    {
        var result = await client.SendAsync(new OutgoingMessage(transcript.Conv, BodyJson.FromText(text)) { Cid = cid });
        inputs.TryWrite(new ChatInput.Sent(cid, result));
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is ParleyException or ParleyConnectionLostException or ObjectDisposedException)
        {
            // A typing notice that did not get through is not worth a word on screen.
        }
    }

    private void Background(Task task, string? cid)
    {
        _background.RemoveAll(t => t.IsCompleted);
        _background.Add(task.ContinueWith(
            t =>
            {
                if (t.Exception?.GetBaseException() is { } e)
                {
                    var message = e is ParleyException p ? p.Message : e.GetType().Name;
                    inputs.TryWrite(cid is null ? new ChatInput.Notice(message) : new ChatInput.SendFailed(cid, message));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default));
    }
}
