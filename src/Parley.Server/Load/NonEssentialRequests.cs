using Parley.Protocol.Requests;

namespace Parley.Server.Load;

/// <summary>
/// The requests refused at level 3: reads a client can repeat later without losing anything. Sending, reading
/// receipts of one's own (<c>read</c>), acks, group changes and everything that keeps a session alive still run.
/// </summary>
internal static class NonEssentialRequests
{
    public static bool Contains(ClientRequest request) =>
        request is HistoryRequest or ConvsRequest or PresenceSubscribeRequest or ReceiptsRequest;
}
