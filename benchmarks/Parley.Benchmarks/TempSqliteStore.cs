using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Benchmarks;

/// <summary>A started <see cref="SqliteStore"/> in a fresh temporary directory, deleted with it.</summary>
internal sealed class TempSqliteStore : IAsyncDisposable
{
    private readonly string _dir;

    private TempSqliteStore(string dir, SqliteStore store) => (_dir, Store) = (dir, store);

    public SqliteStore Store { get; }

    public static async Task<TempSqliteStore> StartAsync(Durability durability)
    {
        var dir = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        var store = new SqliteStore(Options.Create(new StorageOptions { Durability = durability }), Options.Create(new DataDirectoryOptions { DataDir = dir }),
            NullLogger<SqliteStore>.Instance);
        await store.StartAsync(default);
        return new TempSqliteStore(dir, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.StopAsync(default);
        Directory.Delete(_dir, recursive: true);
    }
}
