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
}
