namespace Parley.Core.Messages;

/// <summary>One user's reaction to a message (v1.1): at most one per user and message.</summary>
/// <param name="By">Who reacted.</param>
/// <param name="Emoji">The reaction, 1 to 32 UTF-8 bytes (not checked to be an emoji).</param>
public sealed record Reaction(string By, string Emoji);
