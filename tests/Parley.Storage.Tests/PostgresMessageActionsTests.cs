using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Storage.Postgres;
using Parley.Testing;

namespace Parley.Storage.Tests;

/// <summary>The v1.1 message actions on a real PostgreSQL server, each test in a database of its own.</summary>
public sealed class PostgresMessageActionsTests : MessageActionsContract
{
    private PostgresStore? _store;

    protected override async Task<(IUserStore Users, IMessageStore Messages, IGroupStore Groups, IReactionStore Reactions)> OpenAsync()
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        _store = new PostgresStore(Options.Create(new StorageOptions { Provider = "postgres", Postgres = connectionString }), NullLogger<PostgresStore>.Instance);
        await _store.StartAsync(default);
        return (_store, _store, _store, _store);
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        _store = null;
    }
}
