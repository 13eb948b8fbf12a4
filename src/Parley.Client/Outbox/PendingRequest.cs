using Parley.Protocol.Client;

namespace Parley.Client.Outbox;

/// <summary>A request waiting for its reply: its frame (kept for re-sending), its order, and where it was written.</summary>
internal sealed class PendingRequest
{
    public PendingRequest(long order, string rid, byte[] frame, bool resendable)
    {
        Order = order;
        Rid = rid;
        Frame = frame;
        Resendable = resendable;
    }

    /// <summary>The position among all requests of the client: re-sends keep this order.</summary>
    public long Order { get; }

    /// <summary>The request id; stays the same across re-sends.</summary>
    public string Rid { get; }

    /// <summary>The frame, ready for the socket.</summary>
    public byte[] Frame { get; }

    /// <summary>Whether repeating it is harmless (a send deduped by cid, a read, a query), so that it may be re-sent after a reconnect.</summary>
    public bool Resendable { get; }

    /// <summary>The reply.</summary>
    public TaskCompletionSource<OkFrame> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The connection it was last written to (0: not written yet); guarded by the table's lock.</summary>
    public long WrittenOn { get; set; }

    /// <summary>When it was last written (a <see cref="TimeProvider"/> timestamp); guarded by the table's lock.</summary>
    public long WrittenAt { get; set; }
}
