using Parley.Core.Presence;
using Parley.Grains.Users;

namespace Parley.Server.Gateway;

/// <summary>
/// The connection as its user's grain sees it. Orleans holds observers weakly, so the connection keeps
/// this object (and its reference) alive for as long as it is open.
/// </summary>
internal sealed class InboxObserver(Connection connection) : IInboxObserver
{
    public Task OnDeviceRevokedAsync(string deviceId)
    {
        connection.OnDeviceRevoked(deviceId);
        return Task.CompletedTask;
    }

    public Task OnTypingAsync(byte[] frame)
    {
        connection.SignalTyping(frame);
        return Task.CompletedTask;
    }

    public Task OnRegistrationLostAsync()
    {
        connection.Reattach();
        return Task.CompletedTask;
    }

    public Task OnPrivacyChangedAsync(LastSeenPrivacy privacy)
    {
        connection.OnViewerPrivacyChanged();
        return Task.CompletedTask;
    }
}
