namespace Parley.Server.Gateway;

/// <summary>
/// What an admitted upgrade holds until its socket is welcomed: its place among the node's sockets awaiting a welcome
/// (<see cref="UpgradeAdmission"/>) and its address's pending-hello slot. Each is given back once, at its moment or
/// at the latest when this is disposed.
/// </summary>
internal sealed class UpgradeTickets(IDisposable admitted, IDisposable pending) : IDisposable
{
    /// <summary>The hello phase is over (welcomed, refused or gone): the address's slot is free again.</summary>
    public void HelloDone() => pending.Dispose();

    /// <summary>The welcome is about to be queued: the socket no longer counts as awaiting one.</summary>
    public void Welcomed() => admitted.Dispose();

    public void Dispose()
    {
        pending.Dispose();
        admitted.Dispose();
    }
}
