namespace Parley.Protocol.Client;

/// <summary>The values of a <c>failed</c> event's <c>reason</c>.</summary>
public static class FailureReasons
{
    /// <summary>No device of the recipient acknowledged the message in time.</summary>
    public const string Expired = "expired";
    /// <summary>The recipient's account was deleted.</summary>
    public const string Gone = "gone";
}
