using Parley.Core.Load;

namespace Parley.Server.Load;

internal static class LoadRegistration
{
    /// <summary>The load governor: one per process, read by the gateway, the delivery and the grains of this node.</summary>
    public static IServiceCollection AddParleyLoadGovernor(this IServiceCollection services)
    {
        services.AddSingleton<PressureSignals>();
        services.AddSingleton<LoadGovernor>();
        services.AddSingleton<ILoadLevel>(sp => sp.GetRequiredService<LoadGovernor>());
        services.AddHostedService(sp => sp.GetRequiredService<LoadGovernor>());
        return services;
    }
}
