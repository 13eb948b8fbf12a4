using Parley.Core.Storage;
using Parley.Storage;
using Parley.Storage.Postgres;
using Parley.Storage.Relational;
using Parley.Storage.Sqlite;

namespace Parley.Server.Hosting;

internal static class StorageRegistration
{
    /// <summary>
    /// The store: SQLite embedded (default) or PostgreSQL (cluster mode). A hosted service registered before
    /// the silo and the endpoints, so it starts before them and stops after them.
    /// </summary>
    public static IServiceCollection AddParleyStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetSection(StorageOptions.Section)["Provider"] ?? "sqlite";
        if (provider == "postgres")
        {
            services.AddSingleton<RelationalStore, PostgresStore>();
        }
        else
        {
            services.AddSingleton<RelationalStore, SqliteStore>();
        }
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IGroupStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IReactionStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IMessageEditStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IBlockStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IGroupInviteStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IPresenceStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddHostedService(sp => sp.GetRequiredService<RelationalStore>());
        return services;
    }
}
