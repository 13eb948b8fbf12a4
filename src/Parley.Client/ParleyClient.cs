using Parley.Client.Connection;
using Parley.Client.Transport;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Protocol.Requests;

namespace Parley.Client;

/// <summary>
/// A Parley connection that stays up: it connects with a token, reconnects by itself with backoff after a drop and
/// resumes the inbox where the application left off (<c>hello.after</c> = the last processed seq), never hands the
/// application the same seq twice, acknowledges processed events, and re-sends unanswered messages with their
/// original cid (the server dedupes) in their original order. It stops reconnecting when the server refuses the
/// token (<see cref="ConnectionState.Unauthorized"/>).
/// </summary>
/// <remarks>
/// Events are raised one at a time, in order, from one background loop; a slow handler delays the next event, not the
/// socket. Requests may be issued from any thread, while connected or not: they wait for the connection.
/// </remarks>
public sealed class ParleyClient : IAsyncDisposable
{
    private readonly ConnectionSupervisor _supervisor;
    private readonly TimeProvider _time;
    private readonly AckMode _ackMode;
    private readonly HandlerFailurePolicy _handlerFailurePolicy;
    private readonly TimeSpan _retryMinDelay, _retryMaxDelay;
    private readonly Lock _presenceGate = new();
    private readonly HashSet<string> _presenceUsers = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Creates a client; nothing happens until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">The server, the token and the tuning.</param>
    public ParleyClient(ParleyClientOptions options)
        : this(options, null)
    {
    }

    internal ParleyClient(ParleyClientOptions options, Func<IWebSocketTransport>? transports)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _time = options.TimeProvider;
        _ackMode = options.AckMode;
        _handlerFailurePolicy = options.HandlerFailurePolicy;
        _retryMinDelay = options.ReconnectMinDelay;
        _retryMaxDelay = options.ReconnectMaxDelay;
        var keepAlive = options.KeepAliveInterval;
        _supervisor = new ConnectionSupervisor(options, transports ?? (() => new WebSocketTransport(keepAlive)), DeliverAsync);
    }

    /// <summary>A message in one of the user's conversations (the user's own, sent from any device, included).</summary>
    public event ParleyHandler<MessageEvent>? MessageReceived;

    /// <summary>A delivered or read receipt for messages the user sent.</summary>
    public event ParleyHandler<ReceiptEvent>? ReceiptReceived;

    /// <summary>
    /// A group's membership, name, description (<see cref="GroupEventKinds.Described"/>) or admins changed; v1.1: someone joined
    /// with an invite code (<see cref="GroupEventKinds.Joined"/>).
    /// </summary>
    public event ParleyHandler<GroupEvent>? GroupChanged;

    /// <summary>A conversation's retention changed.</summary>
    public event ParleyHandler<SettingsEvent>? SettingsChanged;

    /// <summary>A message the user sent will never reach one of its recipients.</summary>
    public event ParleyHandler<FailedEvent>? MessageFailed;

    /// <summary>A message was deleted for everyone.</summary>
    public event ParleyHandler<DeletedEvent>? MessageDeleted;

    /// <summary>v1.1: a member (the user included, from any device) reacted to a message, or took a reaction back (<see cref="ReactionEvent.Emoji"/> null).</summary>
    public event ParleyHandler<ReactionEvent>? ReactionReceived;

    /// <summary>v1.1: a message was edited by its sender: its new body.</summary>
    public event ParleyHandler<EditedEvent>? MessageEdited;

    /// <summary>A subscribed user went online or offline (not replayed; may be dropped under load).</summary>
    public event ParleyHandler<PresenceEvent>? PresenceChanged;

    /// <summary>Someone is typing in a conversation (not replayed; may be dropped under load).</summary>
    public event ParleyHandler<TypingEvent>? TypingChanged;

    /// <summary>A frame of a type this version does not know. One with a seq is an inbox event and is acknowledged like the others.</summary>
    public event ParleyHandler<UnknownFrame>? UnknownFrameReceived;

    /// <summary><see cref="State"/> changed (in order with the events). <see cref="ConnectionState.Closed"/> is not raised: events stop when the client is disposed.</summary>
    public event ParleyHandler<ConnectionStateChange>? ConnectionStateChanged;

    /// <summary>A handler threw. Under <see cref="HandlerFailurePolicy.Retry"/> (the default) its inbox event is not acknowledged and the handler is called with it again; see <see cref="ParleyClientOptions.HandlerFailurePolicy"/>.</summary>
    public event ParleyHandler<HandlerFailure>? HandlerFailed;

    /// <summary>Where the connection stands now.</summary>
    public ConnectionState State => _supervisor.State;

    /// <summary>The last <c>welcome</c>: user, device, head and the server's limits; null before the first.</summary>
    public WelcomeFrame? Welcome => _supervisor.Welcome;

    /// <summary>The highest inbox seq processed (acknowledged): persist it and pass it as <see cref="ParleyClientOptions.After"/> next time.</summary>
    public long LastProcessedSeq => _supervisor.Cursor.Processed;

    /// <summary>The highest inbox seq handed to the application.</summary>
    public long LastDeliveredSeq => _supervisor.Cursor.Delivered;

    /// <summary>How many requests wait for their reply (the outbox).</summary>
    public int PendingRequests => _supervisor.Requests.Count;

    /// <summary>
    /// Connects and waits for the server's <c>welcome</c>. After that the client stays connected by itself: a dropped
    /// connection is reopened with backoff and the inbox resumed.
    /// </summary>
    /// <remarks>
    /// The first attempt is not retried (as SignalR's <c>StartAsync</c>): when the server cannot be reached, or closes the
    /// socket before its welcome, this throws at once and the client is back in <see cref="ConnectionState.Disconnected"/>;
    /// calling it again tries again. Automatic reconnection starts only once a session was established.
    /// Cancelling <paramref name="cancellationToken"/> before the welcome disposes the client.
    /// </remarks>
    /// <exception cref="ParleyException">
    /// <c>unauthorized</c>: the server refused the token. <see cref="ClientErrorCodes.Unreachable"/>: the first attempt
    /// failed (refused, unknown host, closed, no welcome within <see cref="ParleyClientOptions.ConnectTimeout"/>); the
    /// message names the server. <c>overloaded</c> (503) or <c>rate_limited</c> (429), with
    /// <see cref="ParleyException.RetryAfterMs"/> and <see cref="ParleyException.HttpStatus"/>: the server refused the upgrade
    /// for now; try again after that long.
    /// </exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            await _supervisor.WaitOnlineAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && State != ConnectionState.Online)
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>In <see cref="AckMode.Manual"/>: every inbox event up to <paramref name="seq"/> is processed (never past what was delivered).</summary>
    public void Acknowledge(long seq)
    {
        if (_supervisor.Cursor.MarkProcessed(seq)) _supervisor.RequestAck();
    }

    /// <summary>Sends a message whose body is the JSON text <paramref name="bodyJson"/> (one JSON string or object), byte for byte.</summary>
    /// <param name="toOrConv">A username or a conversation id.</param>
    /// <param name="bodyJson">The body's JSON text.</param>
    /// <param name="kind">text, image, video or file.</param>
    /// <param name="cancellationToken">Stops waiting; the message may still be stored if it was already written.</param>
    /// <returns>The single tick: the message is stored. Survives reconnects (re-sent with the same cid).</returns>
    public Task<SendResult> SendAsync(string toOrConv, string bodyJson, string kind = MessageKinds.Text, CancellationToken cancellationToken = default) =>
        SendAsync(new OutgoingMessage(toOrConv, bodyJson) { Kind = kind }, cancellationToken);

    /// <summary>Sends a plain text message (its body is the text as a JSON string).</summary>
    public Task<SendResult> SendTextAsync(string toOrConv, string text, CancellationToken cancellationToken = default) =>
        SendAsync(new OutgoingMessage(toOrConv, BodyJson.FromText(text)), cancellationToken);

    /// <summary>Sends a message with every option of <c>send</c>. The cid is fixed now and kept for every re-send.</summary>
    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.ToOrConv);
        if (!BodyJson.IsValid(message.BodyJson)) throw new ArgumentException("the body must be the JSON text of one string or object", nameof(message));
        var cid = message.Cid ?? Guid.NewGuid().ToString();
        var isConv = ConversationIds.IsConversation(message.ToOrConv);
        var to = isConv ? null : message.ToOrConv;
        var conv = isConv ? message.ToOrConv : null;
        var ok = await RequestAsync(
            rid => ClientFrameWriter.Send(rid, cid, to, conv, message.Kind, message.BodyJson, message.MediaId, message.Ttl, message.ReplyTo),
            resendable: true, cancellationToken);
        return ok.ReadSendResult();
    }

    /// <summary>v1.1: replies to message <paramref name="replyTo"/> of the conversation with a plain text message.</summary>
    /// <param name="toOrConv">A username or a conversation id (the conversation of the message replied to).</param>
    /// <param name="replyTo">The n of the message replied to.</param>
    /// <param name="text">The reply's text.</param>
    /// <param name="cancellationToken">Stops waiting; the message may still be stored if it was already written.</param>
    /// <exception cref="ParleyException"><c>not_found</c>: no such message that the user can see; nothing was stored.</exception>
    public Task<SendResult> ReplyTextAsync(string toOrConv, long replyTo, string text, CancellationToken cancellationToken = default) =>
        SendAsync(new OutgoingMessage(toOrConv, BodyJson.FromText(text)) { ReplyTo = replyTo }, cancellationToken);

    /// <summary>
    /// v1.1: reacts to message <paramref name="n"/> with <paramref name="emoji"/>, replacing the user's earlier reaction to it,
    /// or takes the reaction back (null). Every member gets <see cref="ReactionReceived"/>; the same reaction again changes nothing.
    /// </summary>
    /// <param name="conv">The conversation id.</param>
    /// <param name="n">The message's position.</param>
    /// <param name="emoji">A non-empty string of at most 32 UTF-8 bytes (the server does not check that it is an emoji), or null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ParleyException"><c>not_found</c>: no such message that the user can see; <c>bad_request</c>: an empty or too long emoji.</exception>
    public Task ReactAsync(string conv, long n, string? emoji, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conv);
        // Setting the same reaction twice changes nothing: safe to re-send after a dropped connection.
        return RequestAsync(rid => ClientFrameWriter.React(rid, conv, n, emoji), resendable: true, cancellationToken);
    }

    /// <summary>
    /// v1.1: replaces the body of the user's own message <paramref name="n"/> with the JSON text <paramref name="bodyJson"/>
    /// (byte for byte), within the server's edit window. Every member gets <see cref="MessageEdited"/>.
    /// </summary>
    /// <param name="conv">The conversation id.</param>
    /// <param name="n">The message's position.</param>
    /// <param name="bodyJson">The new body's JSON text: one JSON string or object. The kind and media cannot change.</param>
    /// <param name="cancellationToken">Stops waiting; the edit may still be applied if it was already written.</param>
    /// <returns>When the server accepted the edit (Unix ms): the message's new <c>editedAt</c>.</returns>
    /// <exception cref="ParleyException">
    /// <c>forbidden</c>: not the user's message, or the edit window has passed; <c>not_found</c>: no such message (deleted,
    /// expired); <c>too_large</c>: the body is over the server's <c>maxBodyBytes</c>.
    /// </exception>
    public async Task<long> EditAsync(string conv, long n, string bodyJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conv);
        if (!BodyJson.IsValid(bodyJson)) throw new ArgumentException("the body must be the JSON text of one string or object", nameof(bodyJson));
        // Writing the same body again leaves the same message: safe to re-send after a dropped connection.
        var ok = await RequestAsync(rid => ClientFrameWriter.Edit(rid, conv, n, bodyJson), resendable: true, cancellationToken);
        return ok.ReadEditedAt();
    }

    /// <summary>v1.1: <see cref="EditAsync"/> with a plain text body (the text as a JSON string).</summary>
    public Task<long> EditTextAsync(string conv, long n, string text, CancellationToken cancellationToken = default) =>
        EditAsync(conv, n, BodyJson.FromText(text), cancellationToken);

    /// <summary>
    /// Message <paramref name="n"/> of <paramref name="conv"/> as <c>history</c> shows it to the user (with its reactions and
    /// latest body), or null when there is none the user can see: for the message a reply quotes (<see cref="MessageEvent.ReplyTo"/>).
    /// </summary>
    public async Task<HistoryMessage?> FindMessageAsync(string conv, long n, CancellationToken cancellationToken = default)
    {
        if (n < 1 || n == long.MaxValue) return null;
        var page = await HistoryAsync(conv, before: n + 1, limit: 1, cancellationToken);
        return page.Count == 1 && page[0].N == n ? page[0] : null;
    }

    /// <summary>Moves the user's read marker of <paramref name="conv"/> to <paramref name="upTo"/> (never backward); the senders get read receipts.</summary>
    public Task ReadAsync(string conv, long upTo, CancellationToken cancellationToken = default) =>
        RequestAsync(rid => ClientFrameWriter.Read(rid, conv, upTo), resendable: true, cancellationToken);

    /// <summary>The most messages one <see cref="HistoryAsync"/> returns: the protocol's limit (a larger <c>limit</c> is taken as this).</summary>
    public const int MaxHistoryLimit = ClientFrameParser.MaxHistoryLimit;

    /// <summary>How many messages <see cref="HistoryAsync"/> returns when no limit is given: the protocol's default.</summary>
    public const int DefaultHistoryLimit = 50;

    /// <summary>The newest <paramref name="limit"/> messages before n = <paramref name="before"/> (or before the end), in ascending n.</summary>
    /// <param name="conv">The conversation.</param>
    /// <param name="before">An n (exclusive), or null for the newest.</param>
    /// <param name="limit">1 to <see cref="MaxHistoryLimit"/>; null for <see cref="DefaultHistoryLimit"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<IReadOnlyList<HistoryMessage>> HistoryAsync(string conv, long? before = null, int? limit = null, CancellationToken cancellationToken = default) =>
        (await RequestAsync(rid => ClientFrameWriter.History(rid, conv, before, limit), resendable: true, cancellationToken)).ReadHistory();

    /// <summary>The user's conversations with their last n, read marker and unread count.</summary>
    public async Task<IReadOnlyList<ConversationInfo>> ConversationsAsync(CancellationToken cancellationToken = default) =>
        (await RequestAsync(ClientFrameWriter.Convs, resendable: true, cancellationToken)).ReadConversations();

    /// <summary>Who of the other members received and read message <paramref name="n"/>.</summary>
    public async Task<MessageReceipts> ReceiptsAsync(string conv, long n, CancellationToken cancellationToken = default) =>
        (await RequestAsync(rid => ClientFrameWriter.Receipts(rid, conv, n), resendable: true, cancellationToken)).ReadReceipts();

    /// <summary>Deletes message <paramref name="n"/> for everyone (its sender, or a group admin).</summary>
    public Task DeleteAsync(string conv, long n, CancellationToken cancellationToken = default) =>
        RequestAsync(rid => ClientFrameWriter.Delete(rid, conv, n), resendable: false, cancellationToken);

    /// <summary>Creates a group with the user as its first admin.</summary>
    public async Task<GroupCreated> CreateGroupAsync(string name, IEnumerable<string> members, CancellationToken cancellationToken = default)
    {
        var list = members.ToList();
        return (await RequestAsync(rid => ClientFrameWriter.GroupCreate(rid, name, list), resendable: false, cancellationToken)).ReadGroupCreated();
    }

    /// <summary>Adds members to a group (admins only); returns the members.</summary>
    public async Task<IReadOnlyList<string>> AddMembersAsync(string conv, IEnumerable<string> members, CancellationToken cancellationToken = default)
    {
        var list = members.ToList();
        return (await RequestAsync(rid => ClientFrameWriter.GroupAdd(rid, conv, list), resendable: false, cancellationToken)).ReadMembers();
    }

    /// <summary>Removes a member from a group (admins only); returns the members.</summary>
    public async Task<IReadOnlyList<string>> RemoveMemberAsync(string conv, string member, CancellationToken cancellationToken = default) =>
        (await RequestAsync(rid => ClientFrameWriter.GroupRemove(rid, conv, member), resendable: false, cancellationToken)).ReadMembers();

    /// <summary>Leaves a group.</summary>
    public Task LeaveGroupAsync(string conv, CancellationToken cancellationToken = default) =>
        RequestAsync(rid => ClientFrameWriter.GroupLeave(rid, conv), resendable: false, cancellationToken);

    /// <summary>Renames a group (admins only).</summary>
    public Task RenameGroupAsync(string conv, string name, CancellationToken cancellationToken = default) =>
        RequestAsync(rid => ClientFrameWriter.GroupRename(rid, conv, name), resendable: true, cancellationToken);

    /// <summary>
    /// Sets a group's description, what the group is about (admins only); <c>""</c> clears it. The server trims it and
    /// refuses one longer than <see cref="ServerLimits.MaxGroupDescriptionChars"/> (<c>bad_request</c>). Every member gets a
    /// <see cref="GroupChanged"/> event <see cref="GroupEventKinds.Described"/> carrying <see cref="GroupEvent.Description"/>.
    /// </summary>
    /// <param name="conv">The group's conversation id.</param>
    /// <param name="description">The new description, or <c>""</c> for none.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <exception cref="ParleyException"><c>forbidden</c> (not an admin, or not a member), <c>not_found</c> (no such group),
    /// <c>bad_request</c> (too long).</exception>
    public Task SetGroupDescriptionAsync(string conv, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        return RequestAsync(rid => ClientFrameWriter.GroupDescribe(rid, conv, description), resendable: true, cancellationToken);
    }

    /// <summary>Grants or revokes admin rights (admins only); returns the admins.</summary>
    public async Task<IReadOnlyList<string>> SetAdminAsync(string conv, string member, bool admin, CancellationToken cancellationToken = default) =>
        (await RequestAsync(rid => ClientFrameWriter.GroupAdmin(rid, conv, member, admin), resendable: true, cancellationToken)).ReadAdmins();

    /// <summary>A group's name, description, members, admins and retention.</summary>
    public async Task<GroupInfo> GroupInfoAsync(string conv, CancellationToken cancellationToken = default) =>
        (await RequestAsync(rid => ClientFrameWriter.GroupInfo(rid, conv), resendable: true, cancellationToken)).ReadGroupInfo();

    /// <summary>Sets a conversation's retention: a time to live in whole seconds, or null for permanent. Returns the retention.</summary>
    public async Task<long?> SetRetentionAsync(string conv, long? ttlSeconds, CancellationToken cancellationToken = default) =>
        (await RequestAsync(rid => ClientFrameWriter.Retention(rid, conv, ttlSeconds), resendable: false, cancellationToken)).ReadRetention();

    /// <summary>
    /// v1.1: blocks <paramref name="user"/>, for the account (every device, kept across restarts). While blocked, the user's
    /// messages, reactions and edits in the direct conversation are accepted from them but never reach this user (not even
    /// after an unblock), this user looks offline to them, their typing does not arrive, and they cannot put this user
    /// in a group. Blocking is one-way and idempotent.
    /// </summary>
    /// <exception cref="ParleyException"><c>bad_request</c>: oneself; <c>not_found</c>: no such user.</exception>
    public Task BlockAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RequestAsync(rid => ClientFrameWriter.Block(rid, user), resendable: true, cancellationToken);
    }

    /// <summary>v1.1: undoes <see cref="BlockAsync"/>; what <paramref name="user"/> sent meanwhile stays undelivered. Idempotent.</summary>
    /// <exception cref="ParleyException"><c>bad_request</c>: oneself; <c>not_found</c>: no such user.</exception>
    public Task UnblockAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RequestAsync(rid => ClientFrameWriter.Unblock(rid, user), resendable: true, cancellationToken);
    }

    /// <summary>v1.1: the users this account blocks.</summary>
    public async Task<IReadOnlyList<string>> GetBlockedAsync(CancellationToken cancellationToken = default) =>
        (await RequestAsync(ClientFrameWriter.Blocked, resendable: true, cancellationToken)).ReadUsers();

    /// <summary>
    /// v1.1: the group's invite code (admins only): an opaque URL-safe string that lets anyone who has it join with
    /// <see cref="JoinAsync"/>. A group has at most one live code: asking again returns the same one until
    /// <see cref="RevokeInviteAsync"/>.
    /// </summary>
    /// <exception cref="ParleyException"><c>forbidden</c>: not an admin; <c>not_found</c>: no such group that the user is in.</exception>
    public async Task<string> CreateInviteAsync(string conv, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conv);
        return (await RequestAsync(rid => ClientFrameWriter.GroupInvite(rid, conv), resendable: true, cancellationToken)).ReadInviteCode();
    }

    /// <summary>v1.1: the group's invite code stops working (admins only); the next <see cref="CreateInviteAsync"/> makes a new one.</summary>
    /// <exception cref="ParleyException"><c>forbidden</c>: not an admin; <c>not_found</c>: no such group that the user is in.</exception>
    public Task RevokeInviteAsync(string conv, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conv);
        return RequestAsync(rid => ClientFrameWriter.GroupRevokeInvite(rid, conv), resendable: true, cancellationToken);
    }

    /// <summary>
    /// v1.1: joins the group of an invite <paramref name="code"/>. Every member and the joiner get a <see cref="GroupChanged"/>
    /// event <see cref="GroupEventKinds.Joined"/>; the joiner sees the messages sent from then on. Joining a group one is
    /// already in changes nothing. Blocking does not apply to joins.
    /// </summary>
    /// <exception cref="ParleyException"><c>not_found</c>: an unknown or revoked code; <c>group_full</c>: the group is full.</exception>
    public async Task<GroupJoined> JoinAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        return (await RequestAsync(rid => ClientFrameWriter.GroupJoin(rid, code), resendable: true, cancellationToken)).ReadGroupJoined();
    }

    /// <summary>
    /// Subscribes to the presence of <paramref name="users"/> and returns a snapshot. The subscription is renewed
    /// on every reconnect; changes arrive as <see cref="PresenceChanged"/>.
    /// </summary>
    public async Task<IReadOnlyList<PresenceStatus>> SubscribePresenceAsync(IEnumerable<string> users, CancellationToken cancellationToken = default)
    {
        var list = users.ToList();
        lock (_presenceGate)
        {
            _presenceUsers.UnionWith(list);
            _supervisor.SetSetupFrame(FrameTypes.PresenceSubscribe, ClientFrameWriter.PresenceSubscribe(null, [.. _presenceUsers]));
        }
        return (await RequestAsync(rid => ClientFrameWriter.PresenceSubscribe(rid, list), resendable: true, cancellationToken)).ReadPresence();
    }

    /// <summary>Sets the user's presence on this connection, <c>active</c> or <c>away</c> (see <see cref="PresenceStates"/>); kept across reconnects.</summary>
    public Task SetPresenceAsync(string state, CancellationToken cancellationToken = default)
    {
        _supervisor.SetSetupFrame(FrameTypes.PresenceSet, state == PresenceStates.Active ? null : ClientFrameWriter.PresenceSet(null, state));
        return RequestAsync(rid => ClientFrameWriter.PresenceSet(rid, state), resendable: true, cancellationToken);
    }

    /// <summary>Sets who sees the user's last seen (see <see cref="LastSeenVisibility"/>).</summary>
    public Task SetPrivacyAsync(string lastSeen, CancellationToken cancellationToken = default) =>
        RequestAsync(rid => ClientFrameWriter.Privacy(rid, lastSeen), resendable: true, cancellationToken);

    /// <summary>Tells the conversation's online members that the user is <c>composing</c> or <c>paused</c> (see <see cref="TypingStates"/>).</summary>
    public Task SendTypingAsync(string conv, string state, CancellationToken cancellationToken = default) =>
        RequestAsync(rid => ClientFrameWriter.Typing(rid, conv, state), resendable: false, cancellationToken);

    /// <summary>Pings the server: its clock and the round trip.</summary>
    public async Task<PingResult> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var ok = await RequestAsync(ClientFrameWriter.Ping, resendable: true, cancellationToken);
        return new PingResult(ok.ReadPingTime(), _time.GetElapsedTime(started));
    }

    /// <summary>Closes the connection politely (after a last ack) and stops. Pending requests fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _supervisor.DisposeAsync();
    }

    private async Task<OkFrame> RequestAsync(Func<string, byte[]> frame, bool resendable, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var request = _supervisor.Requests.Add(frame, resendable, _supervisor.Welcome?.Limits.MaxFrameBytes ?? 0);
        var requests = _supervisor.Requests;
        await using var registration = cancellationToken.Register(() => requests.Cancel(request, cancellationToken));
        return await request.Completion.Task;
    }

    private async ValueTask DeliverAsync(object item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case MessageEvent e: await RaiseAsync(MessageReceived, e, cancellationToken); break;
            case ReceiptEvent e: await RaiseAsync(ReceiptReceived, e, cancellationToken); break;
            case GroupEvent e: await RaiseAsync(GroupChanged, e, cancellationToken); break;
            case SettingsEvent e: await RaiseAsync(SettingsChanged, e, cancellationToken); break;
            case FailedEvent e: await RaiseAsync(MessageFailed, e, cancellationToken); break;
            case DeletedEvent e: await RaiseAsync(MessageDeleted, e, cancellationToken); break;
            case ReactionEvent e: await RaiseAsync(ReactionReceived, e, cancellationToken); break;
            case EditedEvent e: await RaiseAsync(MessageEdited, e, cancellationToken); break;
            case PresenceEvent e: await RaiseAsync(PresenceChanged, e, cancellationToken); break;
            case TypingEvent e: await RaiseAsync(TypingChanged, e, cancellationToken); break;
            case UnknownFrame e: await RaiseAsync(UnknownFrameReceived, e, cancellationToken); break;
            case ConnectionStateChange e: await RaiseAsync(ConnectionStateChanged, e, cancellationToken); break;
            default: break;
        }
    }

    private async ValueTask RaiseAsync<TEvent>(ParleyHandler<TEvent>? handlers, TEvent e, CancellationToken cancellationToken)
        where TEvent : notnull
    {
        if (handlers is null) return;
        // Only inbox events are worth a retry: they are what an ack would lose. Presence, typing and states are not replayed anyway.
        var retry = _handlerFailurePolicy == HandlerFailurePolicy.Retry && e is ServerFrame { InboxSeq: not null };
        IReadOnlyList<Delegate> pending = handlers.GetInvocationList();
        for (var attempt = 1; ; attempt++)
        {
            List<Delegate>? failed = null;
            foreach (var handler in pending)
            {
                try
                {
                    await ((ParleyHandler<TEvent>)handler)(e, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception failure)
                {
                    (failed ??= []).Add(handler);
                    await ReportAsync(new HandlerFailure(e, failure, attempt, retry), cancellationToken);
                }
            }
            if (failed is null || !retry) return;
            // Not processed, so not acknowledged: the same event again, later, to the handlers that threw; nothing after it meanwhile.
            await Task.Delay(Backoff.Delay(attempt - 1, _retryMinDelay, _retryMaxDelay, Random.Shared.NextDouble()), _time, cancellationToken);
            pending = failed;
        }
    }

    private async ValueTask ReportAsync(HandlerFailure failure, CancellationToken cancellationToken)
    {
        if (HandlerFailed is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                await ((ParleyHandler<HandlerFailure>)handler)(failure, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception)
            {
                // A HandlerFailed handler that throws has nobody left to tell.
            }
        }
    }
}
