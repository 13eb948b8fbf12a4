using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Storage.Postgres;
using Parley.Storage.Relational;
using Parley.Testing;

namespace Parley.Storage.Tests;

/// <summary>The security contract on a real PostgreSQL server, each test in a database of its own.</summary>
public sealed class PostgresSecurityStoreTests : SecurityStoreContract
{
    private PostgresStore? _store;

    protected override async Task<RelationalStore> OpenAsync()
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        _store = new PostgresStore(Options.Create(new StorageOptions { Provider = "postgres", Postgres = connectionString }), NullLogger<PostgresStore>.Instance);
        await _store.StartAsync(default);
        return _store;
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        _store = null;
    }
}
