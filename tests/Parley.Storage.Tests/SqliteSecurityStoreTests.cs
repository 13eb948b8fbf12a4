using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Storage.Relational;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Tests;

public sealed class SqliteSecurityStoreTests : SecurityStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-security-").FullName;
    private SqliteStore? _store;

    protected override async Task<RelationalStore> OpenAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        return _store;
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        _store = null;
        Directory.Delete(_dir, recursive: true);
    }
}
