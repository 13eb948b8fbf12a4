using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Parley.Grains.Users;

/// <inheritdoc cref="IUserGrain" />
public sealed class UserGrain : Grain, IUserGrain
{
    private readonly ObserverManager<string, IInboxObserver> _connections;
    private readonly Dictionary<string, string> _deviceOfConnection = new(StringComparer.Ordinal);

    public UserGrain(IOptions<SessionRegistryOptions> options, ILogger<UserGrain> logger)
    {
        _connections = new ObserverManager<string, IInboxObserver>(options.Value.ConnectionExpiry, logger);
    }

    public Task<bool> AttachAsync(string connectionId, string deviceId, IInboxObserver observer)
    {
        var known = _connections.Observers.ContainsKey(connectionId);
        _connections.Subscribe(connectionId, observer);
        _deviceOfConnection[connectionId] = deviceId;
        return Task.FromResult(known);
    }

    public Task DetachAsync(string connectionId)
    {
        _connections.Unsubscribe(connectionId);
        _deviceOfConnection.Remove(connectionId);
        return Task.CompletedTask;
    }

    public Task PublishAsync(InboxPush[] events)
    {
        _connections.Notify(o => o.OnInboxAsync(events));
        return Task.CompletedTask;
    }

    public Task RevokeDeviceAsync(string deviceId)
    {
        foreach (var (connectionId, observer) in _connections.Observers)
        {
            if (_deviceOfConnection.GetValueOrDefault(connectionId) == deviceId) observer.OnDeviceRevokedAsync(deviceId).Ignore();
        }
        return Task.CompletedTask;
    }
}
