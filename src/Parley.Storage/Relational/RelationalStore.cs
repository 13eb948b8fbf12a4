using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Inbox;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Presence;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Relational;

/// <summary>
/// The store over a relational database: every write goes through the group-commit writer, every read
/// through a pooled connection. The SQL is shared by SQLite and PostgreSQL; subclasses open connections,
/// run their schema migrations and name the few functions whose spelling differs.
/// </summary>
public abstract class RelationalStore : IUserStore, IMessageStore, IGroupStore, IMediaCatalog, IPresenceStore, IHostedService, IAsyncDisposable
{
    private readonly StorageOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private CommitWriter? _writer;

    protected RelationalStore(StorageOptions options, ILogger logger, TimeProvider? time)
    {
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Now, for reads that must not serve what has expired.</summary>
    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>How pressed the writer is now (nothing while the store is stopped).</summary>
    public StoreLoad Load => _writer?.Load ?? new StoreLoad(0, _options.WriteQueueCapacity, TimeSpan.Zero);

    private CommitWriter Writer => _writer ?? throw new InvalidOperationException("the store has not started");

    /// <summary>An aggregate that joins the usernames of a group (<c>group_concat</c>, <c>string_agg</c>).</summary>
    protected abstract string JoinUsernames { get; }

    /// <summary>Opens (and prepares) the writer's connection.</summary>
    protected abstract DbConnection OpenWriteConnection();

    /// <summary>Opens a pooled connection for reads.</summary>
    protected abstract DbConnection OpenReadConnection();

    /// <summary>Brings the schema up to date, before anything else runs.</summary>
    protected abstract void Migrate(DbConnection connection);

    public virtual Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = OpenWriteConnection();
        Migrate(connection);
        connection.Dispose();
        _writer = new CommitWriter(OpenWriteConnection, _options, _logger);
        return Task.CompletedTask;
    }

    public virtual async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        GC.SuppressFinalize(this);
    }

    // Users and devices.

    public Task<bool> CreateUserAsync(NewUser user, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateUserOp(user), cancellationToken);

    public Task CreateDeviceAsync(NewDevice device, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateDeviceOp(device), cancellationToken);

    public Task<bool> RevokeDeviceAsync(string deviceId, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RevokeDeviceOp(deviceId, now), cancellationToken);

    public Task<UserCredentials?> GetCredentialsAsync(Username username, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, "SELECT username, display_name, password_hash FROM users WHERE username = @p0 AND deleted_at IS NULL", username.Value);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new UserCredentials(r.GetString(0), r.GetString(1), r.GetString(2)) : null;
        });

    public Task<IReadOnlyList<string>> CreateDeviceWithinCapAsync(NewDevice device, int maxDevices, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateDeviceWithinCapOp(device, maxDevices), cancellationToken);

    public Task<bool> RehashPasswordAsync(Username username, string verifiedHash, string newHash, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RehashPasswordOp(username.Value, verifiedHash, newHash), cancellationToken);

    public Task<AccountDeletion?> DeleteAccountAsync(Username username, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteAccountOp(username.Value, now), cancellationToken);

    public Task<DeviceSession?> FindDeviceAsync(byte[] tokenHash, long now, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c,
                "SELECT device_id, username, name, expires_at, acked_seq FROM devices WHERE token_hash = @p0 AND revoked_at IS NULL AND expires_at > @p1",
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

    public Task<MarkerResult> AckAsync(Username user, string deviceId, long seq, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AckOp(user.Value, deviceId, seq), cancellationToken);

    public Task<MarkerResult> MarkReadAsync(Username user, ConversationId conv, long upTo, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new MarkReadOp(user.Value, conv.Value, upTo), cancellationToken);

    public Task<bool> HasMessagesAsync(ConversationId conv, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, SecurityQueries.HasMessages, conv.Value);
            return cmd.ExecuteScalar() is not null;
        });

    // Retention.

    public Task<ChangeResult> SetRetentionAsync(ConversationId conv, Username actor, IReadOnlyList<string>? participants, long? ttlSeconds, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetRetentionOp(conv.Value, actor.Value, participants, ttlSeconds, now), cancellationToken);

    public Task<ChangeResult> DeleteMessageAsync(ConversationId conv, Username actor, long n, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteMessageOp(conv.Value, actor.Value, n, now), cancellationToken);

    public Task<int> SweepExpiredAsync(long now, int batch, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SweepExpiredOp(now, batch), cancellationToken);

    public Task<DeliveryFailures> FailUndeliveredAsync(long sentBefore, long now, int batch, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new FailUndeliveredOp(sentBefore, now, batch), cancellationToken);

    // Groups.

    public Task<GroupResult> CreateGroupAsync(ConversationId conv, Username creator, string name, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateGroupOp(conv.Value, creator.Value, name, members, maxMembers, now), cancellationToken);

    public Task<GroupResult> AddMembersAsync(ConversationId conv, Username actor, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AddMembersOp(conv.Value, actor.Value, members, maxMembers, now), cancellationToken);

    public Task<GroupResult> RemoveMemberAsync(ConversationId conv, Username actor, Username member, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RemoveMemberOp(conv.Value, actor.Value, member.Value, now), cancellationToken);

    public Task<GroupResult> LeaveAsync(ConversationId conv, Username actor, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new LeaveOp(conv.Value, actor.Value, now), cancellationToken);

    public Task<GroupResult> RenameAsync(ConversationId conv, Username actor, string name, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RenameGroupOp(conv.Value, actor.Value, name, now), cancellationToken);

    public Task<GroupResult> SetAdminAsync(ConversationId conv, Username actor, Username member, bool admin, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetAdminOp(conv.Value, actor.Value, member.Value, admin, now), cancellationToken);

    public Task<IReadOnlyList<InboxWrite>> AggregateReceiptsAsync(ConversationId conv, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AggregateReceiptsOp(conv.Value), cancellationToken);

    public Task<(GroupStatus Status, GroupInfo? Group)> GetGroupAsync(ConversationId conv, Username viewer, CancellationToken cancellationToken) =>
        ReadAsync<(GroupStatus, GroupInfo?)>(c =>
        {
            string name;
            long? retention;
            using (var cmd = Command(c, "SELECT name, retention_seconds FROM conversations WHERE conv = @p0 AND is_group = 1", conv.Value))
            using (var r = cmd.ExecuteReader())
            {
                if (!r.Read()) return (GroupStatus.GroupNotFound, null);
                (name, retention) = (r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1));
            }
            var members = new List<string>();
            var admins = new List<string>();
            using (var cmd = Command(c, "SELECT username, is_admin FROM members WHERE conv = @p0 ORDER BY username", conv.Value))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    members.Add(r.GetString(0));
                    if (r.GetInt64(1) != 0) admins.Add(r.GetString(0));
                }
            }
            return members.Contains(viewer.Value) ? (GroupStatus.Ok, new GroupInfo(conv.Value, name, members, admins, retention)) : (GroupStatus.Forbidden, null);
        });

    public Task<(GroupStatus Status, MessageReceipts? Receipts)> GetReceiptsAsync(ConversationId conv, long n, Username viewer, CancellationToken cancellationToken) =>
        ReadAsync<(GroupStatus, MessageReceipts?)>(c =>
        {
            string? sender;
            // A deleted or expired message has no receipts to tell: it reads as absent.
            using (var cmd = Command(c, "SELECT sender FROM messages WHERE conv = @p0 AND n = @p1 AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > @p2)",
                conv.Value, n, Now))
            {
                sender = cmd.ExecuteScalar() as string;
            }
            var delivered = new List<string>();
            var read = new List<string>();
            var isMember = false;
            using (var cmd = Command(c, "SELECT username, delivered_n, read_n FROM members WHERE conv = @p0 ORDER BY username", conv.Value))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var user = r.GetString(0);
                    isMember |= user == viewer.Value;
                    if (user == sender) continue;
                    if (r.GetInt64(1) >= n) delivered.Add(user);
                    if (r.GetInt64(2) >= n) read.Add(user);
                }
            }
            if (!isMember) return (GroupStatus.Forbidden, null);
            return sender is null ? (GroupStatus.UserNotFound, null) : (GroupStatus.Ok, new MessageReceipts(delivered, read));
        });

    public Task<(GroupStatus Status, long JoinedN)> GetGroupMembershipAsync(ConversationId conv, Username user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using (var cmd = Command(c, "SELECT joined_n FROM members WHERE conv = @p0 AND username = @p1", conv.Value, user.Value))
            {
                if (cmd.ExecuteScalar() is long joinedN) return (GroupStatus.Ok, joinedN);
            }
            using var exists = Command(c, "SELECT 1 FROM conversations WHERE conv = @p0 AND is_group = 1", conv.Value);
            return (exists.ExecuteScalar() is null ? GroupStatus.GroupNotFound : GroupStatus.Forbidden, 0L);
        });

    public Task<long> GetInboxHeadAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, "SELECT inbox_head FROM users WHERE username = @p0", user.Value);
            return cmd.ExecuteScalar() is long head ? head : 0L;
        });

    public Task<IReadOnlyList<InboxEntry>> ReadInboxAsync(Username user, long afterSeq, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<InboxEntry>>(c =>
        {
            using var cmd = Command(c,
                $"""
                SELECT i.seq, i.kind, i.conv, i.n, i.actor, i.status, i.data, m.{RelationalRows.MessageColumns.Replace(", ", ", m.", StringComparison.Ordinal)}, {MediaRows.InfoColumns}
                FROM inbox i LEFT JOIN messages m ON i.kind = {(int)InboxEntryKind.Message} AND m.conv = i.conv AND m.n = i.n
                  AND m.deleted_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > @p3) {MediaRows.JoinOn("m")}
                WHERE i.username = @p0 AND i.seq > @p1 ORDER BY i.seq LIMIT @p2
                """, user.Value, afterSeq, limit, Now);
            using var r = cmd.ExecuteReader();
            var entries = new List<InboxEntry>();
            while (r.Read())
            {
                var kind = (InboxEntryKind)r.GetInt64(1);
                var message = kind == InboxEntryKind.Message && !r.IsDBNull(7) ? RelationalRows.ReadMessage(r, 7) : null;
                entries.Add(new InboxEntry(r.GetInt64(0), kind, r.GetString(2), r.GetInt64(3), r.GetString(4),
                    r.IsDBNull(5) ? null : (ReceiptStatus)r.GetInt64(5), message, r.IsDBNull(6) ? null : r.GetString(6)));
            }
            return entries;
        });

    public Task<IReadOnlyList<StoredMessage>> GetHistoryAsync(ConversationId conv, Username viewer, long afterN, long? before, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredMessage>>(c =>
        {
            using var cmd = Command(c,
                $"""
                SELECT {RelationalRows.MessageAndMediaColumns} FROM messages {MediaRows.JoinOn("messages")}
                WHERE conv = @p0 AND n < @p1 AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > @p4)
                  AND (n > @p3 OR EXISTS (SELECT 1 FROM member_periods p
                       WHERE p.conv = messages.conv AND p.username = @p5 AND messages.n > p.from_n AND messages.n <= p.to_n))
                ORDER BY n DESC LIMIT @p2
                """,
                conv.Value, before ?? long.MaxValue, limit, afterN, Now, viewer.Value);
            using var r = cmd.ExecuteReader();
            var messages = new List<StoredMessage>();
            while (r.Read()) messages.Add(RelationalRows.ReadMessage(r, 0));
            messages.Reverse();
            return messages;
        });

    public Task<IReadOnlyList<ConversationSummary>> GetConversationsAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ConversationSummary>>(c =>
        {
            using var cmd = Command(c,
                $"""
                SELECT c.conv, c.is_group, c.name, c.last_n, m.read_n, c.retention_seconds, c.last_ts,
                  (SELECT COUNT(*) FROM messages x WHERE x.conv = c.conv AND x.n > m.read_n AND x.sender <> @p0
                     AND x.deleted_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > @p1)),
                  (SELECT {JoinUsernames} FROM members y WHERE y.conv = c.conv)
                FROM members m JOIN conversations c ON c.conv = m.conv
                WHERE m.username = @p0 ORDER BY c.last_ts DESC
                """, user.Value, Now);
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

    // Media.

    public Task<StoredMedia?> TryAddUploaderAsync(string mediaId, Username uploader, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new TryAddUploaderOp(mediaId, uploader.Value, now), cancellationToken);

    public Task<StoredMedia> AddMediaAsync(StoredMedia media, Username uploader, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AddMediaOp(media, uploader.Value, now), cancellationToken);

    public Task<bool> DeleteMediaIfSweepableAsync(MediaSweepCandidate candidate, long now, long orphanBefore, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteSweepableMediaOp(candidate, now, orphanBefore), cancellationToken);

    public Task<StoredMedia?> GetVisibleMediaAsync(string mediaId, Username user, long now, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, $"SELECT {MediaRows.StoredColumns} FROM media md WHERE md.media_id = @p0 AND {MediaRows.Visible}", mediaId, user.Value, now);
            using var r = cmd.ExecuteReader();
            return r.Read() ? MediaRows.ReadStored(r, 0) : null;
        });

    public Task<IReadOnlyList<MediaSweepCandidate>> FindSweepableMediaAsync(long now, long orphanBefore, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<MediaSweepCandidate>>(c =>
        {
            using var cmd = Command(c,
                $"SELECT media_id, blob, version FROM media WHERE {MediaRows.Sweepable("media.media_id", "@p0", "@p1")} ORDER BY last_used_at LIMIT @p2",
                now, orphanBefore, limit);
            using var r = cmd.ExecuteReader();
            var list = new List<MediaSweepCandidate>();
            while (r.Read()) list.Add(new MediaSweepCandidate(r.GetString(0), r.GetString(1), r.GetInt64(2)));
            return list;
        });

    public Task<long> GetUnusedUploadBytesAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, SecurityQueries.UnusedUploadBytes, user.Value);
            return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });

    // Presence.

    public Task<PresenceRecord> GetPresenceAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, PresenceQueries.Presence, user.Value);
            using var r = cmd.ExecuteReader();
            return r.Read() ? new PresenceRecord((LastSeenPrivacy)r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1)) : PresenceRecord.Unknown;
        });

    public Task SaveLastSeenAsync(Username user, long lastSeen, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SaveLastSeenOp(user.Value, lastSeen), cancellationToken);

    public Task SetLastSeenPrivacyAsync(Username user, LastSeenPrivacy privacy, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetLastSeenPrivacyOp(user.Value, privacy), cancellationToken);

    public Task<bool> ShareConversationAsync(Username user, Username other, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, PresenceQueries.SharedConversation, user.Value, other.Value);
            return cmd.ExecuteScalar() is not null;
        });

    public Task RecordContactAsync(Username user, Username contact, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RecordContactOp(user.Value, contact.Value, now), cancellationToken);

    public Task<bool> IsContactAsync(Username user, Username viewer, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var cmd = Command(c, SecurityQueries.IsContact, user.Value, viewer.Value);
            return cmd.ExecuteScalar() is not null;
        });

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (_writer is not { IsRunning: true, IsFailing: false }) return Task.FromResult(false);
        return ReadAsync(c =>
        {
            using var cmd = Command(c, "SELECT 1");
            return cmd.ExecuteScalar() is not null;
        });
    }

    private Task<T> ReadAsync<T>(Func<DbConnection, T> read)
    {
        // Reads are short index lookups; they run inline on a pooled connection.
        using var connection = OpenReadConnection();
        return Task.FromResult(read(connection));
    }

    private static DbCommand Command(DbConnection connection, string sql, params object?[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameter.Value = args[i] ?? DBNull.Value;
            cmd.Parameters.Add(parameter);
        }
        return cmd;
    }
}
