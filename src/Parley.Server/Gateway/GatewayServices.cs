using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Grains.Presence;
using Parley.Grains.Users;
using Parley.Protocol.Frames;
using Parley.Server.Auth;
using Parley.Server.Delivery;
using Parley.Server.Hosting;
using Parley.Server.Load;
using Parley.Server.Media;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>What every connection uses, resolved once.</summary>
internal sealed class GatewayServices(
    IMessageStore store,
    IPresenceStore presenceStore,
    DeviceAuthenticator authenticator,
    IGrainFactory grains,
    InboxPublisher publisher,
    LocalInboxes inboxes,
    RequestDispatcher dispatcher,
    LiveConnections live,
    TimeProvider time,
    IOptions<GatewayOptions> gateway,
    IOptions<LimitsOptions> limits,
    IOptions<GroupsOptions> groups,
    IOptions<DeliveryOptions> delivery,
    IOptions<SessionRegistryOptions> sessions,
    IOptions<PresenceOptions> presence,
    IOptions<MediaOptions> media,
    ParleyMetrics metrics,
    LoadGovernor load,
    ILoggerFactory loggers)
{
    public IMessageStore Store { get; } = store;
    public IPresenceStore PresenceStore { get; } = presenceStore;
    public DeviceAuthenticator Authenticator { get; } = authenticator;
    public IGrainFactory Grains { get; } = grains;
    public InboxPublisher Publisher { get; } = publisher;
    public LocalInboxes Inboxes { get; } = inboxes;
    public RequestDispatcher Dispatcher { get; } = dispatcher;
    public LiveConnections Live { get; } = live;
    public TimeProvider Time { get; } = time;
    public GatewayOptions Gateway { get; } = gateway.Value;
    public LimitsOptions Limits { get; } = limits.Value;
    public GroupsOptions Groups { get; } = groups.Value;
    public DeliveryOptions Delivery { get; } = delivery.Value;
    public SessionRegistryOptions Sessions { get; } = sessions.Value;
    public PresenceOptions Presence { get; } = presence.Value;
    public IReadOnlyList<MediaTypeLimit> MediaLimits { get; } = media.Value.TypeLimits();
    public ParleyMetrics Metrics { get; } = metrics;
    public LoadGovernor Load { get; } = load;
    public ILogger ConnectionLogger { get; } = loggers.CreateLogger("Parley.Gateway.Connection");
}
