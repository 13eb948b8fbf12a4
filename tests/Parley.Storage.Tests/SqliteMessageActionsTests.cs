using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Tests;

public sealed class SqliteMessageActionsTests : MessageActionsContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-actions-").FullName;
    private SqliteStore? _store;

    protected override async Task<(IUserStore Users, IMessageStore Messages, IGroupStore Groups, IReactionStore Reactions)> OpenAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        return (_store, _store, _store, _store);
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        _store = null;
    }
}
