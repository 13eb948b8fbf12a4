using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Parley.Storage.Relational;

namespace Parley.Storage.Postgres;

/// <summary>
/// The store for cluster mode: PostgreSQL, shared by every node. Each node batches its own writes;
/// row locks on a user's inbox head and a conversation's last n order concurrent writers of different
/// nodes, so seq and n stay gap-free and in commit order.
/// </summary>
public sealed class PostgresStore : RelationalStore
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(IOptions<StorageOptions> options, ILogger<PostgresStore> logger, TimeProvider? time = null)
        : base(options.Value, logger, time)
    {
        var connectionString = options.Value.Postgres
            ?? throw new InvalidOperationException("Parley:Storage:Postgres (a connection string) is required with Provider=postgres");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Synchronous commit off would lose acknowledged writes in a crash of the database; keep the default (on).
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    protected override string JoinUsernames => "string_agg(username, ' ')";

    protected override DbConnection OpenWriteConnection() => _dataSource.OpenConnection();

    protected override async ValueTask<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override void Migrate(DbConnection connection) => PostgresSchema.Migrate((NpgsqlConnection)connection);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _dataSource.DisposeAsync();
    }
}
