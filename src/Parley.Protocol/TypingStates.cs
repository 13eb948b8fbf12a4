namespace Parley.Protocol;

/// <summary>The values of <c>typing</c>'s <c>state</c>.</summary>
public static class TypingStates
{
    /// <summary>The user is typing.</summary>
    public const string Composing = "composing";
    /// <summary>The user stopped typing.</summary>
    public const string Paused = "paused";

    /// <summary>Whether <paramref name="state"/> is one of the protocol's states.</summary>
    public static bool IsKnown(string state) => state is Composing or Paused;
}
