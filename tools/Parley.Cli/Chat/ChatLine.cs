using Parley.Protocol;
using Parley.Protocol.Client;

namespace Parley.Cli.Chat;

/// <summary>A message on screen. <see cref="Tick"/> is null for other people's messages.</summary>
internal sealed class ChatLine
{
    public required string From { get; init; }

    public required string Text { get; set; }

    public string? Id { get; set; }

    public string? Cid { get; init; }

    public long? N { get; set; }

    public long Ts { get; set; }

    public Tick? Tick { get; set; }

    public string? Error { get; set; }

    /// <summary>text, image, video or file: kept so that an edited body is shown as the message is.</summary>
    public string Kind { get; init; } = MessageKinds.Text;

    public MediaInfo? Media { get; init; }

    /// <summary>The n of the message this one replies to (its quoted line is drawn above it).</summary>
    public long? ReplyTo { get; init; }

    public bool Edited { get; set; }

    /// <summary>One per user, in the order they were first made (a new one of the same user keeps the place).</summary>
    public List<MessageReaction> Reactions { get; } = [];
}
