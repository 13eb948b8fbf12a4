using Parley.Core.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Server.Hosting;

internal static class StorageRegistration
{
    /// <summary>The store (SQLite, embedded): started before the silo and the endpoints, stopped after them.</summary>
    public static IServiceCollection AddParleyStorage(this IServiceCollection services)
    {
        services.AddSingleton<SqliteStore>();
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<IGroupStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<IPresenceStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddHostedService(sp => sp.GetRequiredService<SqliteStore>());
        return services;
    }
}
