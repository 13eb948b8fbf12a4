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

    /// <summary>Opens the writer's connection (used only by the writer) and its session.</summary>
    internal abstract Task<WriterSession> OpenWriterSessionAsync(CancellationToken cancellationToken);

    /// <summary>Opens a pooled connection for reads.</summary>
    protected abstract ValueTask<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Brings the schema up to date, before anything else runs.</summary>
    protected abstract Task MigrateAsync(CancellationToken cancellationToken);

    public virtual async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        _writer = await CommitWriter.StartAsync(OpenWriterSessionAsync, _options, _logger, cancellationToken);
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
        Writer.WriteAsync(DeviceOps.Create(device), cancellationToken);

    public Task<bool> RevokeDeviceAsync(string deviceId, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(DeviceOps.Revoke(deviceId, now), cancellationToken);

    public Task<UserCredentials?> GetCredentialsAsync(string username, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => UserQueries.CredentialsAsync(c, username, ct), cancellationToken);

    public Task<AccountDeletion?> DeleteAccountAsync(string username, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteAccountOp(username, now), cancellationToken);

    public Task<DeviceSession?> FindDeviceAsync(byte[] tokenHash, long now, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => UserQueries.FindDeviceAsync(c, tokenHash, now, ct), cancellationToken);

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

    // Retention.

    public Task<ChangeResult> SetRetentionAsync(string conv, string actor, IReadOnlyList<string>? participants, long? ttlSeconds, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetRetentionOp(conv, actor, participants, ttlSeconds, now), cancellationToken);

    public Task<ChangeResult> DeleteMessageAsync(string conv, string actor, long n, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteMessageOp(conv, actor, n, now), cancellationToken);

    public Task<int> SweepExpiredAsync(long now, int batch, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SweepExpiredOp(now, batch), cancellationToken);

    public Task<DeliveryFailures> FailUndeliveredAsync(long sentBefore, long now, int batch, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new FailUndeliveredOp(sentBefore, now, batch), cancellationToken);

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
        ReadAsync((c, ct) => GroupQueries.GroupAsync(c, conv, viewer, ct), cancellationToken);

    public Task<(GroupStatus Status, MessageReceipts? Receipts)> GetReceiptsAsync(string conv, long n, string viewer, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => GroupQueries.ReceiptsAsync(c, conv, n, viewer, ct), cancellationToken);

    public Task<(GroupStatus Status, long JoinedN)> GetGroupMembershipAsync(string conv, string user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => ConversationQueries.GroupMembershipAsync(c, conv, user, ct), cancellationToken);

    public Task<long> GetInboxHeadAsync(string user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => InboxQueries.HeadAsync(c, user, ct), cancellationToken);

    public Task<IReadOnlyList<InboxEntry>> ReadInboxAsync(string user, long afterSeq, int limit, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => InboxQueries.ReadAsync(c, user, afterSeq, limit, Now, ct), cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> GetHistoryAsync(string conv, string viewer, long afterN, long? before, int limit, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => ConversationQueries.HistoryAsync(c, conv, viewer, afterN, before, limit, Now, ct), cancellationToken);

    public Task<IReadOnlyList<ConversationSummary>> GetConversationsAsync(string user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => ConversationQueries.SummariesAsync(c, user, Now, JoinUsernames, ct), cancellationToken);

    // Media.

    public Task<StoredMedia?> TryAddUploaderAsync(string mediaId, string uploader, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new TryAddUploaderOp(mediaId, uploader, now), cancellationToken);

    public Task<StoredMedia> AddMediaAsync(StoredMedia media, string uploader, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AddMediaOp(media, uploader, now), cancellationToken);

    public Task<bool> DeleteMediaIfSweepableAsync(MediaSweepCandidate candidate, long now, long orphanBefore, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteSweepableMediaOp(candidate, now, orphanBefore), cancellationToken);

    public Task<StoredMedia?> GetVisibleMediaAsync(string mediaId, string user, long now, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => MediaQueries.VisibleAsync(c, mediaId, user, now, ct), cancellationToken);

    public Task<IReadOnlyList<MediaSweepCandidate>> FindSweepableMediaAsync(long now, long orphanBefore, int limit, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => MediaQueries.SweepableAsync(c, now, orphanBefore, limit, ct), cancellationToken);

    // Presence.

    public Task<PresenceRecord> GetPresenceAsync(string user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => PresenceQueries.PresenceAsync(c, user, ct), cancellationToken);

    public Task SaveLastSeenAsync(string user, long lastSeen, CancellationToken cancellationToken) =>
        Writer.WriteAsync(PresenceOps.SaveLastSeen(user, lastSeen), cancellationToken);

    public Task SetLastSeenPrivacyAsync(string user, LastSeenPrivacy privacy, CancellationToken cancellationToken) =>
        Writer.WriteAsync(PresenceOps.SetLastSeenPrivacy(user, privacy), cancellationToken);

    public Task<bool> ShareConversationAsync(string user, string other, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => PresenceQueries.ShareConversationAsync(c, user, other, ct), cancellationToken);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (_writer is not { IsRunning: true, IsFailing: false }) return Task.FromResult(false);
        return ReadAsync(async (c, ct) => await ReadCommands.ScalarAsync(c, "SELECT 1", ct) is not null, cancellationToken);
    }

    /// <summary>Runs a read on a pooled connection, returned to the pool when the read completes.</summary>
    private async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }
}
