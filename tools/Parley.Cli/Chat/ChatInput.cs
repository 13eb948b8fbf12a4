using Parley.Client;
using Parley.Protocol.Client;

namespace Parley.Cli.Chat;

/// <summary>Everything the chat loop reacts to, from the keyboard, the connection, a clock and finished sends: one queue, one reader.</summary>
internal abstract record ChatInput
{
    public sealed record Key(ConsoleKeyInfo Info) : ChatInput;

    public sealed record Message(MessageEvent Event) : ChatInput;

    public sealed record Receipt(ReceiptEvent Event) : ChatInput;

    public sealed record Deleted(DeletedEvent Event) : ChatInput;

    public sealed record Reaction(ReactionEvent Event) : ChatInput;

    public sealed record Edited(EditedEvent Event) : ChatInput;

    /// <summary>A quoted message fetched from history (null: none the user can see).</summary>
    public sealed record Quoted(long N, HistoryMessage? Found) : ChatInput;

    public sealed record Presence(PresenceEvent Event) : ChatInput;

    public sealed record Typing(TypingEvent Event) : ChatInput;

    public sealed record Sent(string Cid, SendResult Result) : ChatInput;

    public sealed record SendFailed(string Cid, string Error) : ChatInput;

    public sealed record Connection(ConnectionState State) : ChatInput;

    public sealed record Notice(string Text) : ChatInput;

    /// <summary>A second passed: typing indicators expire.</summary>
    public sealed record Tick : ChatInput;

    public sealed record KeyboardClosed : ChatInput;
}
