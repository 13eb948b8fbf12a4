using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Presence;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through the group-commit writer;
/// reads use pooled read connections, which WAL lets run beside the writer.
/// </summary>
public sealed class SqliteStore : IUserStore, IMessageStore, IGroupStore, IPresenceStore, IHostedService, IAsyncDisposable
{
    private readonly StorageOptions _options;
    private readonly ILogger<SqliteStore> _logger;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private SqliteCommitWriter? _writer;

    public SqliteStore(IOptions<StorageOptions> options, IOptions<DataDirectoryOptions> dataDirectory, ILogger<SqliteStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        var dir = dataDirectory.Value.DataDir;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "parley.db");
        _writeConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadOnly }.ToString();
    }

    private SqliteCommitWriter Writer => _writer ?? throw new InvalidOperationException("the store has not started");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_writeConnectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(_options.Durability == Durability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=5000;";
            pragma.ExecuteNonQuery();
        }
        SqliteSchema.Migrate(connection);
        _writer = new SqliteCommitWriter(connection, _options, _logger);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    // Users and devices.

    public Task<bool> CreateUserAsync(NewUser user, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateUserOp(user), cancellationToken);

    public Task CreateDeviceAsync(NewDevice device, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateDeviceOp(device), cancellationToken);

    public Task<bool> RevokeDeviceAsync(string deviceId, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RevokeDeviceOp(deviceId, now), cancellationToken);

    public Task<UserCredentials?> GetCredentialsAsync(string username, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, "SELECT username, display_name, password_hash FROM users WHERE username = $0", username);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new UserCredentials(r.GetString(0), r.GetString(1), r.GetString(2)) : null;
        });

    public Task<DeviceSession?> FindDeviceAsync(byte[] tokenHash, long now, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c,
                "SELECT device_id, username, name, expires_at, acked_seq FROM devices WHERE token_hash = $0 AND revoked_at IS NULL AND expires_at > $1",
                tokenHash, now);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new DeviceSession(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4)) : null;
        });

    // Messages and inboxes.

    public async ValueTask<Task<AppendResult>> EnqueueAppendAsync(NewMessage message, CancellationToken cancellationToken)
    {
        var op = new AppendMessageOp(message);
        await Writer.EnqueueAsync(op, cancellationToken);
        return op.Task;
    }

    public Task<MarkerResult> AckAsync(string user, string deviceId, long seq, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AckOp(user, deviceId, seq), cancellationToken);

    public Task<MarkerResult> MarkReadAsync(string user, string conv, long upTo, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new MarkReadOp(user, conv, upTo), cancellationToken);

    // Groups.

    public Task<GroupResult> CreateGroupAsync(string conv, string creator, string name, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateGroupOp(conv, creator, name, members, maxMembers, now), cancellationToken);

    public Task<GroupResult> AddMembersAsync(string conv, string actor, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AddMembersOp(conv, actor, members, maxMembers, now), cancellationToken);

    public Task<GroupResult> RemoveMemberAsync(string conv, string actor, string member, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RemoveMemberOp(conv, actor, member, now), cancellationToken);

    public Task<GroupResult> LeaveAsync(string conv, string actor, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new LeaveOp(conv, actor, now), cancellationToken);

    public Task<GroupResult> RenameAsync(string conv, string actor, string name, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RenameGroupOp(conv, actor, name, now), cancellationToken);

    public Task<GroupResult> SetAdminAsync(string conv, string actor, string member, bool admin, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetAdminOp(conv, actor, member, admin, now), cancellationToken);

    public Task<IReadOnlyList<InboxWrite>> AggregateReceiptsAsync(string conv, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AggregateReceiptsOp(conv), cancellationToken);

    public Task<(GroupStatus Status, GroupInfo? Group)> GetGroupAsync(string conv, string viewer, CancellationToken cancellationToken) =>
        ReadAsync<(GroupStatus, GroupInfo?)>(c =>
        {
            string name;
            long? retention;
            using (var cmd = Command(c, "SELECT name, retention_seconds FROM conversations WHERE conv = $0 AND is_group = 1", conv))
            using (var r = cmd.ExecuteReader())
            {
                if (!r.Read()) return (GroupStatus.GroupNotFound, null);
                (name, retention) = (r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1));
            }
            var members = new List<string>();
            var admins = new List<string>();
            using (var cmd = Command(c, "SELECT username, is_admin FROM members WHERE conv = $0 ORDER BY username", conv))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    members.Add(r.GetString(0));
                    if (r.GetInt64(1) != 0) admins.Add(r.GetString(0));
                }
            }
            return members.Contains(viewer) ? (GroupStatus.Ok, new GroupInfo(conv, name, members, admins, retention)) : (GroupStatus.Forbidden, null);
        });

    public Task<(GroupStatus Status, MessageReceipts? Receipts)> GetReceiptsAsync(string conv, long n, string viewer, CancellationToken cancellationToken) =>
        ReadAsync<(GroupStatus, MessageReceipts?)>(c =>
        {
            string? sender;
            using (var cmd = Command(c, "SELECT sender FROM messages WHERE conv = $0 AND n = $1", conv, n))
            {
                sender = cmd.ExecuteScalar() as string;
            }
            var delivered = new List<string>();
            var read = new List<string>();
            var isMember = false;
            using (var cmd = Command(c, "SELECT username, delivered_n, read_n FROM members WHERE conv = $0 ORDER BY username", conv))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var user = r.GetString(0);
                    isMember |= user == viewer;
                    if (user == sender) continue;
                    if (r.GetInt64(1) >= n) delivered.Add(user);
                    if (r.GetInt64(2) >= n) read.Add(user);
                }
            }
            if (!isMember) return (GroupStatus.Forbidden, null);
            return sender is null ? (GroupStatus.UserNotFound, null) : (GroupStatus.Ok, new MessageReceipts(delivered, read));
        });

    public Task<(GroupStatus Status, long JoinedN)> GetGroupMembershipAsync(string conv, string user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using (var cmd = Command(c, "SELECT joined_n FROM members WHERE conv = $0 AND username = $1", conv, user))
            {
                if (cmd.ExecuteScalar() is long joinedN) return (GroupStatus.Ok, joinedN);
            }
            using var exists = Command(c, "SELECT 1 FROM conversations WHERE conv = $0 AND is_group = 1", conv);
            return (exists.ExecuteScalar() is null ? GroupStatus.GroupNotFound : GroupStatus.Forbidden, 0L);
        });

    public Task<long> GetInboxHeadAsync(string user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, "SELECT inbox_head FROM users WHERE username = $0", user);
            return cmd.ExecuteScalar() is long head ? head : 0L;
        });

    public Task<IReadOnlyList<InboxEntry>> ReadInboxAsync(string user, long afterSeq, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<InboxEntry>>(c =>
        {
            using var cmd = Command(c,
                $"""
                SELECT i.seq, i.kind, i.conv, i.n, i.actor, i.status, i.data, m.{SqliteRows.MessageColumns.Replace(", ", ", m.", StringComparison.Ordinal)}
                FROM inbox i LEFT JOIN messages m ON i.kind = 1 AND m.conv = i.conv AND m.n = i.n
                WHERE i.username = $0 AND i.seq > $1 ORDER BY i.seq LIMIT $2
                """, user, afterSeq, limit);
            using var r = cmd.ExecuteReader();
            var entries = new List<InboxEntry>();
            while (r.Read())
            {
                var kind = (InboxEntryKind)r.GetInt32(1);
                var message = kind == InboxEntryKind.Message && !r.IsDBNull(7) ? SqliteRows.ReadMessage(r, 7) : null;
                entries.Add(new InboxEntry(r.GetInt64(0), kind, r.GetString(2), r.GetInt64(3), r.GetString(4),
                    r.IsDBNull(5) ? null : (ReceiptStatus)r.GetInt32(5), message, r.IsDBNull(6) ? null : r.GetString(6)));
            }
            return entries;
        });

    public Task<IReadOnlyList<StoredMessage>> GetHistoryAsync(string conv, long afterN, long? before, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredMessage>>(c =>
        {
            using var cmd = Command(c,
                $"SELECT {SqliteRows.MessageColumns} FROM messages WHERE conv = $0 AND n < $1 AND n > $3 ORDER BY n DESC LIMIT $2",
                conv, before ?? long.MaxValue, limit, afterN);
            using var r = cmd.ExecuteReader();
            var messages = new List<StoredMessage>();
            while (r.Read()) messages.Add(SqliteRows.ReadMessage(r, 0));
            messages.Reverse();
            return messages;
        });

    public Task<IReadOnlyList<ConversationSummary>> GetConversationsAsync(string user, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ConversationSummary>>(c =>
        {
            using var cmd = Command(c,
                """
                SELECT c.conv, c.is_group, c.name, c.last_n, m.read_n, c.retention_seconds, c.last_ts,
                  (SELECT COUNT(*) FROM messages x WHERE x.conv = c.conv AND x.n > m.read_n AND x.sender <> $0),
                  (SELECT group_concat(username, ' ') FROM members y WHERE y.conv = c.conv)
                FROM members m JOIN conversations c ON c.conv = m.conv
                WHERE m.username = $0 ORDER BY c.last_ts DESC
                """, user);
            using var r = cmd.ExecuteReader();
            var list = new List<ConversationSummary>();
            while (r.Read())
            {
                var members = r.IsDBNull(8) ? [] : r.GetString(8).Split(' ');
                Array.Sort(members, StringComparer.Ordinal);
                list.Add(new ConversationSummary(r.GetString(0), r.GetInt64(1) != 0, r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3),
                    r.GetInt64(4), r.GetInt64(7), r.IsDBNull(5) ? null : r.GetInt64(5), members, r.GetInt64(6)));
            }
            return list;
        });

    // Presence.

    public Task<PresenceRecord> GetPresenceAsync(string user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, SqlitePresenceQueries.Presence, user);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new PresenceRecord((LastSeenPrivacy)r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt64(1)) : PresenceRecord.Unknown;
        });

    public Task SaveLastSeenAsync(string user, long lastSeen, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SaveLastSeenOp(user, lastSeen), cancellationToken);

    public Task SetLastSeenPrivacyAsync(string user, LastSeenPrivacy privacy, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetLastSeenPrivacyOp(user, privacy), cancellationToken);

    public Task<bool> ShareConversationAsync(string user, string other, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, SqlitePresenceQueries.SharedConversation, user, other);
            return cmd.ExecuteScalar() is not null;
        });

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (_writer is not { IsRunning: true }) return Task.FromResult(false);
        return ReadAsync(c =>
        {
            using var cmd = Command(c, "SELECT 1");
            return cmd.ExecuteScalar() is long;
        });
    }

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read)
    {
        // Microsoft.Data.Sqlite is synchronous underneath; reads are short index lookups, so they run inline.
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return Task.FromResult(read(connection));
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), args[i] ?? DBNull.Value);
        }
        return cmd;
    }
}
