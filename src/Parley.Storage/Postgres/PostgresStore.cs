using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Parley.Storage.Relational;

namespace Parley.Storage.Postgres;

/// <summary>
/// The store for cluster mode: PostgreSQL, shared by every node. Each node batches its own writes (two round trips a
/// batch: <see cref="PostgresWriterSession"/>); row locks on a conversation's last n and a user's inbox head, taken in one
/// global order, order concurrent writers of different nodes, so n and seq stay gap-free and in commit order.
/// </summary>
public sealed class PostgresStore : RelationalStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _writerSource;

    public PostgresStore(IOptions<StorageOptions> options, ILogger<PostgresStore> logger, TimeProvider? time = null)
        : base(options.Value, logger, time)
    {
        var connectionString = options.Value.Postgres
            ?? throw new InvalidOperationException("Parley:Storage:Postgres (a connection string) is required with Provider=postgres");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The writer's statements never change their text: prepared once per connection, they skip parsing and planning.
        // The reads are few shapes too. A connection string that says otherwise wins.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
            builder.AutoPrepareMinUsages = 2;
        }
        // Reads change no session state: a connection going back to the pool needs no reset.
        builder.NoResetOnClose = true;
        // Synchronous commit off would lose acknowledged writes in a crash of the database; keep the default (on).
        _dataSource = NpgsqlDataSource.Create(builder);
        // The writer's connection comes from a pool of its own, so that reads filling theirs never keep it waiting. Its
        // statements all reach their rows by key: a sequential scan is never the plan for them, yet PostgreSQL chose one
        // for tables too young to have statistics (and kept it in the prepared plan), so the writer's sessions rule it out.
        // A flush is one batch whose first statements lock its conversations and inbox heads, and Npgsql sends a batch one
        // write buffer at a time as it serialises it: with the default 8 KiB, PostgreSQL held those locks waiting for the
        // rest of the batch while a busy node serialised it, and the other nodes' writers waited on the locks. A buffer
        // that holds a whole flush of small messages sends it in one piece (larger flushes go in pieces, as before).
        // A connection string that sets its own size wins.
        _writerSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            MinPoolSize = 0,
            MaxPoolSize = WriterConnections,
            Options = string.Join(' ', builder.Options, "-c enable_seqscan=off").Trim(),
            WriteBufferSize = builder.WriteBufferSize == DefaultWriteBufferSize ? WriterWriteBufferSize : builder.WriteBufferSize,
        });
    }

    private const int AutoPreparedStatements = 64;
    private const int WriterConnections = 2;
    private const int WriterWriteBufferSize = 1024 * 1024;
    private static readonly int DefaultWriteBufferSize = new NpgsqlConnectionStringBuilder().WriteBufferSize;

    protected override string JoinUsernames => "string_agg(username, ' ')";

    internal override async Task<WriterSession> OpenWriterSessionAsync(CancellationToken cancellationToken) =>
        new PostgresWriterSession(await _writerSource.OpenConnectionAsync(cancellationToken));

    protected override async ValueTask<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _writerSource.OpenConnectionAsync(cancellationToken);
        await PostgresSchema.MigrateAsync(connection, cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _dataSource.DisposeAsync();
        await _writerSource.DisposeAsync();
    }
}
