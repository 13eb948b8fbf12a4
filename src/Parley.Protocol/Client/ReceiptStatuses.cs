namespace Parley.Protocol.Client;

/// <summary>The values of a <c>receipt</c> event's <c>status</c>.</summary>
public static class ReceiptStatuses
{
    /// <summary>Received by a device of the recipient (the double tick).</summary>
    public const string Delivered = "delivered";
    /// <summary>Read by the recipient (implies delivered).</summary>
    public const string Read = "read";
}
