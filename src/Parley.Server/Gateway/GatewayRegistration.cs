using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Parley.Server.Auth;
using Parley.Server.Delivery;
using Parley.Server.Gateway.Handlers;

namespace Parley.Server.Gateway;

internal static class GatewayRegistration
{
    public static IServiceCollection AddParleyGateway(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordHashSlots>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<DeviceAuthenticator>();
        services.AddSingleton<NodeRoutes>();
        services.AddSingleton<LocalInboxes>();
        services.AddSingleton<InboxPublisher>();
        services.AddSingleton<Core.Inbox.IInboxPublisher>(sp => sp.GetRequiredService<InboxPublisher>());
        services.AddSingleton<ConversationAccess>();
        services.AddSingleton<ReceiptsHandler>();
        services.AddSingleton<GroupRequestHandler>();
        services.AddSingleton<RetentionHandler>();
        services.AddSingleton<ReactHandler>();
        services.AddSingleton<BlockHandler>();
        services.AddSingleton<GroupInviteHandler>();
        services.AddSingleton<EditHandler>();
        services.AddHostedService<Retention.ExpirySweeper>();
        services.AddHostedService<PendingAgeSweeper>();
        services.AddSingleton<RateLimits.SocketCaps>();
        services.AddSingleton<RateLimits.HandshakeSlots>();
        services.AddSingleton<UpgradeAdmission>();
        services.AddSingleton<UpgradeChecks>();
        services.AddSingleton<UpgradedSockets>();
        services.AddSingleton<ForwardedClientAddress>();
        services.AddSingleton<ConnectionLevelGateway>();
        services.AddOptions<KestrelServerOptions>().Configure(kestrel => kestrel.ConfigureEndpointDefaults(TakeUpgradesAtConnectionLevel));
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<SessionRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRefresher>());
        services.AddSingleton<RequestFailures>();
        services.AddSingleton<RequestDispatcher>();
        services.AddSingleton<RateLimits.UserRateLimits>();
        services.AddSingleton<RateLimits.AccountRateLimit>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<ReadHandler>();
        services.AddSingleton<HistoryHandler>();
        services.AddSingleton<ConvsHandler>();
        services.AddSingleton<PrivacyHandler>();
        services.AddSingleton<TypingHandler>();
        services.AddSingleton<Presence.ContactRecorder>();
        services.AddSingleton<ConnectionHandshake>();
        services.AddSingleton<PresenceSubscribeHandler>();
        services.AddHostedService<MembershipWatcher>();
        return services;
    }

    /// <summary>
    /// Puts <see cref="ConnectionLevelGateway"/> on an endpoint (as an endpoint default, so on <c>--urls</c> and configured
    /// endpoints alike), unless <c>Parley:Gateway:ConnectionLevelUpgrade</c> is off. Kestrel applies endpoint defaults
    /// before it adds TLS to an HTTPS endpoint, so there the middleware sees TLS records, which differ from an upgrade at
    /// the first byte: it passes those connections on at once, and their upgrades take the HTTP endpoint.
    /// </summary>
    /// <remarks>Kestrel keeps one endpoint-defaults action: anything else that sets one replaces this (nothing in Parley does).</remarks>
    private static void TakeUpgradesAtConnectionLevel(ListenOptions listen) => listen.Use(next =>
    {
        // Built once the endpoint is configured: an endpoint without HTTP/1.1 (HTTP/2 only) never upgrades.
        if (!listen.Protocols.HasFlag(HttpProtocols.Http1)) return next;
        if (!listen.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.ConnectionLevelUpgrade) return next;
        var gateway = listen.ApplicationServices.GetRequiredService<ConnectionLevelGateway>();
        return connection => gateway.OnConnectedAsync(connection, next);
    });

    /// <summary>On shutdown, every socket is closed with 1001 so clients reconnect elsewhere or later.</summary>
    public static WebApplication CloseConnectionsOnShutdown(this WebApplication app)
    {
        var live = app.Services.GetRequiredService<LiveConnections>();
        app.Lifetime.ApplicationStopping.Register(live.CloseAll);
        return app;
    }
}
