using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Gateway;

/// <summary>
/// Kestrel's upgrade, handing the WebSocket a <see cref="CoalescingStream"/> over the upgraded connection so
/// that the socket's writer can send a burst of frames with one write. Put in place before the WebSocket
/// middleware runs, which keeps the upgrade feature it finds for the accept.
/// </summary>
internal sealed class CoalescingUpgradeFeature(IHttpUpgradeFeature inner, int bufferBytes) : IHttpUpgradeFeature
{
    /// <summary>The stream given to the WebSocket, once upgraded.</summary>
    public CoalescingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CoalescingStream(await inner.UpgradeAsync(), bufferBytes);
        return Stream;
    }

}
