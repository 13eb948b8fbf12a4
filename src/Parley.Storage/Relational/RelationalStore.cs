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
public abstract partial class RelationalStore : IUserStore, IMessageStore, IGroupStore, IMediaCatalog, IPresenceStore, IHostedService, IAsyncDisposable
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

    public Task<UserCredentials?> GetCredentialsAsync(Username username, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => UserQueries.CredentialsAsync(c, username.Value, ct), cancellationToken);

    public Task<IReadOnlyList<string>> CreateDeviceWithinCapAsync(NewDevice device, int maxDevices, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateDeviceWithinCapOp(device, maxDevices), cancellationToken);

    public Task<bool> RehashPasswordAsync(Username username, string verifiedHash, string newHash, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RehashPasswordOp(username.Value, verifiedHash, newHash), cancellationToken);

    public Task<AccountDeletion?> DeleteAccountAsync(Username username, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteAccountOp(username.Value, now), cancellationToken);

    public Task<DeviceSession?> FindDeviceAsync(byte[] tokenHash, long now, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => UserQueries.FindDeviceAsync(c, tokenHash, now, ct), cancellationToken);

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
        ReadAsync(async (c, ct) => await ReadCommands.ScalarAsync(c, SecurityQueries.HasMessages, ct, conv.Value) is not null, cancellationToken);

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

    public Task<GroupResult> DescribeAsync(ConversationId conv, Username actor, string description, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DescribeGroupOp(conv.Value, actor.Value, description, now), cancellationToken);

    public Task<GroupResult> SetAdminAsync(ConversationId conv, Username actor, Username member, bool admin, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new SetAdminOp(conv.Value, actor.Value, member.Value, admin, now), cancellationToken);

    public Task<IReadOnlyList<InboxWrite>> AggregateReceiptsAsync(ConversationId conv, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AggregateReceiptsOp(conv.Value), cancellationToken);

    public Task<(GroupStatus Status, GroupInfo? Group)> GetGroupAsync(ConversationId conv, Username viewer, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => GroupQueries.GroupAsync(c, conv.Value, viewer.Value, ct), cancellationToken);

    public Task<(GroupStatus Status, MessageReceipts? Receipts)> GetReceiptsAsync(ConversationId conv, long n, Username viewer, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => GroupQueries.ReceiptsAsync(c, conv.Value, n, viewer.Value, Now, ct), cancellationToken);

    public Task<(GroupStatus Status, long JoinedN)> GetGroupMembershipAsync(ConversationId conv, Username user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => ConversationQueries.GroupMembershipAsync(c, conv.Value, user.Value, ct), cancellationToken);

    public Task<long> GetInboxHeadAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => InboxQueries.HeadAsync(c, user.Value, ct), cancellationToken);

    public Task<IReadOnlyList<InboxEntry>> ReadInboxAsync(Username user, long afterSeq, int limit, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => InboxQueries.ReadAsync(c, user.Value, afterSeq, limit, Now, ct), cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> GetHistoryAsync(ConversationId conv, Username viewer, long afterN, long? before, int limit, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => await ReactionQueries.WithReactionsAsync(c, conv.Value, viewer.Value,
            await ConversationQueries.HistoryAsync(c, conv.Value, viewer.Value, afterN, before, limit, Now, ct), ct), cancellationToken);

    public Task<IReadOnlyList<ConversationNote>> GetNotesAsync(ConversationId conv, Username viewer, long afterN, long fromN, long beforeN, int limit,
        CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => NoteQueries.NotesAsync(c, conv.Value, viewer.Value, afterN, fromN, beforeN, limit, ct), cancellationToken);

    public Task<IReadOnlyList<ConversationSummary>> GetConversationsAsync(Username user, bool includeLeft, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => ConversationQueries.SummariesAsync(c, user.Value, includeLeft, Now, JoinUsernames, ct), cancellationToken);

    // Media.

    public Task<StoredMedia?> TryAddUploaderAsync(string mediaId, Username uploader, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new TryAddUploaderOp(mediaId, uploader.Value, now), cancellationToken);

    public Task<StoredMedia> AddMediaAsync(StoredMedia media, Username uploader, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new AddMediaOp(media, uploader.Value, now), cancellationToken);

    public Task<bool> DeleteMediaIfSweepableAsync(MediaSweepCandidate candidate, long now, long orphanBefore, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new DeleteSweepableMediaOp(candidate, now, orphanBefore), cancellationToken);

    public Task<StoredMedia?> GetVisibleMediaAsync(string mediaId, Username user, long now, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => MediaQueries.VisibleAsync(c, mediaId, user.Value, now, ct), cancellationToken);

    public Task<IReadOnlyList<MediaSweepCandidate>> FindSweepableMediaAsync(long now, long orphanBefore, int limit, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => MediaQueries.SweepableAsync(c, now, orphanBefore, limit, ct), cancellationToken);

    public Task<long> GetUnusedUploadBytesAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => Convert.ToInt64(await ReadCommands.ScalarAsync(c, SecurityQueries.UnusedUploadBytes, ct, user.Value) ?? 0L,
            System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    // Presence.

    public Task<PresenceRecord> GetPresenceAsync(Username user, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => PresenceQueries.PresenceAsync(c, user.Value, ct), cancellationToken);

    public Task SaveLastSeenAsync(Username user, long lastSeen, CancellationToken cancellationToken) =>
        Writer.WriteAsync(PresenceOps.SaveLastSeen(user.Value, lastSeen), cancellationToken);

    public Task SetLastSeenPrivacyAsync(Username user, LastSeenPrivacy privacy, CancellationToken cancellationToken) =>
        Writer.WriteAsync(PresenceOps.SetLastSeenPrivacy(user.Value, privacy), cancellationToken);

    public Task<bool> ShareConversationAsync(Username user, Username other, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => PresenceQueries.ShareConversationAsync(c, user.Value, other.Value, ct), cancellationToken);

    public Task RecordContactAsync(Username user, Username contact, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(SecurityOps.RecordContact(user.Value, contact.Value, now), cancellationToken);

    public Task<bool> IsContactAsync(Username user, Username viewer, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => await ReadCommands.ScalarAsync(c, SecurityQueries.IsContact, ct, user.Value, viewer.Value) is not null, cancellationToken);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (_writer is not { IsRunning: true, IsFailing: false }) return Task.FromResult(false);
        return ReadAsync(async (c, ct) => await ReadCommands.ScalarAsync(c, "SELECT 1", ct) is not null, cancellationToken);
    }

    /// <summary>
    /// Runs a read on a pooled connection, returned to the pool when the read completes; counted by the port method that
    /// asked for it (<paramref name="port"/>, a compile-time constant, so the tag allocates nothing).
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken,
        [System.Runtime.CompilerServices.CallerMemberName] string port = "")
    {
        StoreMetrics.Reads.Add(1, new KeyValuePair<string, object?>("read", port));
        await using var connection = await OpenReadConnectionAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }
}
