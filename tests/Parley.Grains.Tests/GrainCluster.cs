using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Parley.Core.Inbox;
using Parley.Core.Load;
using Parley.Core.Storage;
using Parley.Grains.Groups;
using Parley.Grains.Presence;
using Parley.Grains.Users;
using Parley.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Grains.Tests;

/// <summary>
/// One in-process Orleans silo (Orleans' <c>InProcessTestCluster</c>) hosting Parley's grains over a real SQLite store
/// in a temporary directory, as the server hosts them; shared by the tests of a class, each using its own users and groups.
/// What the grains push goes to <see cref="Published"/> and the load level is <see cref="Load"/>'s.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    /// <summary>Short, so that the aggregation tests wait briefly; the production default is 250 ms.</summary>
    public static readonly TimeSpan ReceiptInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("parley-grains-").FullName;
    private InProcessTestCluster? _cluster;

    public SqliteStore Store { get; }

    public RecordingPublisher Published { get; } = new();

    public SettableLoad Load { get; } = new();

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    public IClusterClient Client => Cluster.Client;

    public GrainCluster()
    {
        Store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dataDir }),
            NullLogger<SqliteStore>.Instance);
    }

    public async Task InitializeAsync()
    {
        await Store.StartAsync(default);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.Services
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IPresenceStore>(Store)
            .AddSingleton<IGroupStore>(Store)
            .AddSingleton<IInboxPublisher>(Published)
            .AddSingleton<ILoadLevel>(Load)
            .Configure<PresenceOptions>(_ => { })
            // Long, so that a test can see an attach waiting for a node that holds back forgetting a route.
            .Configure<SessionRegistryOptions>(o => o.RouteChangeTimeout = TimeSpan.FromSeconds(30))
            .Configure<GroupReceiptOptions>(o => o.ReceiptInterval = ReceiptInterval));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
