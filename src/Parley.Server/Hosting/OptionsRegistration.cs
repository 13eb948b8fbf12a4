using Parley.Grains.Groups;
using Parley.Grains.Presence;
using Parley.Grains.Users;
using Parley.Server.Auth;
using Parley.Server.Delivery;
using Parley.Server.Gateway;
using Parley.Storage;

namespace Parley.Server.Hosting;

internal static class OptionsRegistration
{
    /// <summary>Binds every Parley:* section, validated at start-up.</summary>
    public static IServiceCollection AddParleyOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.AckTimeout > TimeSpan.Zero && o.MaxPendingAge > TimeSpan.Zero, "AckTimeout and MaxPendingAge must be positive")
            .Validate(o => o.FailureSweepInterval > TimeSpan.Zero, "FailureSweepInterval must be positive");
        services.AddOptionsWithValidateOnStart<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.MaxBodyBytes < o.MaxFrameBytes, "MaxBodyBytes must be below MaxFrameBytes");
        services.AddOptionsWithValidateOnStart<MessagesOptions>().Bind(configuration.GetSection(MessagesOptions.Section))
            .Validate(o => o.EditWindow > TimeSpan.Zero, "Parley:Messages:EditWindow must be positive");
        services.AddOptionsWithValidateOnStart<GroupsOptions>().Bind(configuration.GetSection(GroupsOptions.Section)).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<GroupReceiptOptions>().Bind(configuration.GetSection(GroupsOptions.Section))
            .Validate(o => o.ReceiptInterval > TimeSpan.Zero, "ReceiptInterval must be positive");
        services.AddOptionsWithValidateOnStart<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.HelloTimeout > TimeSpan.Zero && o.CloseTimeout > TimeSpan.Zero && o.SendStallTimeout > TimeSpan.Zero, "HelloTimeout, CloseTimeout and SendStallTimeout must be positive")
            // Each request in flight may produce a reply and an inbox event at once; both must fit.
            .Validate(o => o.SendQueueCapacity >= 2 * o.MaxInFlightRequests, "SendQueueCapacity must be at least twice MaxInFlightRequests")
            .Validate(o => o.MaxSocketsPerDevice <= o.MaxSocketsPerUser, "MaxSocketsPerDevice must not be above MaxSocketsPerUser")
            .Validate(o => o.UpgradeRetryAfter > TimeSpan.Zero, "UpgradeRetryAfter must be positive")
            // The server pings after KeepAliveInterval of silence and waits for the answer for the rest of IdleTimeout.
            .Validate(o => o.KeepAliveInterval > TimeSpan.Zero && o.IdleTimeout > o.KeepAliveInterval, "IdleTimeout must be longer than KeepAliveInterval, which must be positive");
        services.AddOptionsWithValidateOnStart<Retention.RetentionOptions>().Bind(configuration.GetSection(Retention.RetentionOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.SweepBatchSize > 0, "SweepInterval and SweepBatchSize must be positive");
        services.AddOptionsWithValidateOnStart<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.TokenLifetime > TimeSpan.Zero && o.HashQueueTimeout > TimeSpan.Zero, "TokenLifetime and HashQueueTimeout must be positive")
            .Validate(o => o.LoginBackoff > TimeSpan.Zero && o.MaxLoginBackoff >= o.LoginBackoff, "LoginBackoff must be positive and MaxLoginBackoff not below it");
        services.AddOptionsWithValidateOnStart<ClusterNodeOptions>().Bind(configuration.GetSection(ClusterNodeOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Provider is "localhost" or "redis", "Parley:Cluster:Provider must be 'localhost' or 'redis'")
            .Validate(o => o.Provider != "redis" || !string.IsNullOrWhiteSpace(o.Redis), "Parley:Cluster:Redis is required with Provider=redis")
            .Validate(o => string.IsNullOrEmpty(o.AdminTokenFile) || File.Exists(o.AdminTokenFile), "Parley:Cluster:AdminTokenFile names no file")
            .PostConfigure(o =>
            {
                if (!string.IsNullOrEmpty(o.AdminTokenFile) && File.Exists(o.AdminTokenFile)) o.AdminToken = File.ReadAllText(o.AdminTokenFile).Trim();
            });
        services.AddOptionsWithValidateOnStart<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Provider is "sqlite" or "postgres", "Parley:Storage:Provider must be 'sqlite' or 'postgres'")
            .Validate(o => o.Provider != "postgres" || !string.IsNullOrWhiteSpace(o.Postgres), "Parley:Storage:Postgres is required with Provider=postgres")
            .Validate(o => o.Provider != "postgres" || IsConnectionString(o.Postgres!),
                "Parley:Storage:Postgres is not a valid connection string (Host=...;Username=...;Database=...; keywords as Npgsql spells them)");
        services.AddOptionsWithValidateOnStart<DataDirectoryOptions>().Bind(configuration.GetSection("Parley")).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<SessionRegistryOptions>().Bind(configuration.GetSection(SessionRegistryOptions.Section))
            .Validate(o => o.RefreshInterval > TimeSpan.Zero && o.RefreshInterval * 2 < o.ConnectionExpiry, "RefreshInterval must be under half of ConnectionExpiry")
            .Validate(o => o.AttachTimeout > TimeSpan.Zero && o.RetryInterval > TimeSpan.Zero, "AttachTimeout and RetryInterval must be positive")
            // The node's refresh runs in ticks of RetryInterval: a longer tick would stretch the refresh past the interval.
            .Validate(o => o.RetryInterval <= o.RefreshInterval, "RetryInterval must not exceed RefreshInterval")
            // A connection's attach waits for the route's change; it must not time out for it.
            .Validate(o => o.RouteChangeTimeout > TimeSpan.Zero && o.RouteChangeTimeout < o.AttachTimeout, "RouteChangeTimeout must be positive and under AttachTimeout")
            .Validate(o => o.RouteLifetime > TimeSpan.Zero, "RouteLifetime must be positive");
        services.AddOptionsWithValidateOnStart<PresenceOptions>().Bind(configuration.GetSection(PresenceOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.LastSeenWriteInterval > TimeSpan.Zero && o.TypingTimeout > TimeSpan.Zero, "LastSeenWriteInterval and TypingTimeout must be positive")
            .Validate(o => o.TouchInterval >= TimeSpan.Zero, "TouchInterval must not be negative");
        services.AddOptionsWithValidateOnStart<RateLimits.RateLimitOptions>().Bind(configuration.GetSection(RateLimits.RateLimitOptions.Section)).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<Load.GovernorOptions>().Bind(configuration.GetSection(Load.GovernorOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.SampleInterval > TimeSpan.Zero && o.CpuWindow > TimeSpan.Zero && o.CalmPeriod >= TimeSpan.Zero && o.SlowReceiptInterval > TimeSpan.Zero && o.RetryAfter > TimeSpan.Zero,
                "SampleInterval, CpuWindow, SlowReceiptInterval and RetryAfter must be positive, CalmPeriod not negative")
            .Validate(o => new[] { o.OutboundBacklog, o.OutboundBytes, o.StoreQueue, o.StoreLagMs, o.ThreadPoolQueue, o.CpuPercent }.All(t => t.IsOrdered()),
                "governor thresholds must not be negative, and each signal's Level2 and Level3, where set, not below the lower levels' ones");
        return services;
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
