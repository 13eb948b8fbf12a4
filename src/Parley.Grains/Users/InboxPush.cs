namespace Parley.Grains.Users;

/// <summary>
/// An inbox event on its way to a user's live connections: its seq and the finished frame. The grain
/// never looks inside the frame; it is the gateway's bytes, passed through. <paramref name="AcceptedAt"/> is, for a
/// <c>message</c> event, when its send was accepted (Unix ms; 0 for other events), for the delivery latency metric.
/// <paramref name="OwesReceipt"/>: a direct message from someone else, whose ack its sender's delivered receipt waits for.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record InboxPush([property: Id(0)] long Seq, [property: Id(1)] byte[] Frame, [property: Id(2)] long AcceptedAt = 0,
    [property: Id(3)] bool OwesReceipt = false);
