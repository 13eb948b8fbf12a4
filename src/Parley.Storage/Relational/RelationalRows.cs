using System.Data.Common;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

/// <summary>Row mapping shared by the writer and the readers.</summary>
internal static class RelationalRows
{
    public const string MessageColumns = "conv, n, id, sender, cid, kind, body, ts, expires_at, sender_seq, reply_to, edited_at";

    /// <summary>What <see cref="ReadMessage"/> reads: the message's columns, then its media's from <see cref="MediaRows.JoinOn"/>.</summary>
    public const string MessageAndMediaColumns = MessageColumns + ", " + MediaRows.InfoColumns;

    /// <summary><see cref="MessageAndMediaColumns"/> of a message row aliased <paramref name="alias"/>.</summary>
    public static string MessageAndMediaColumnsOf(string alias) =>
        alias + "." + MessageColumns.Replace(", ", ", " + alias + ".", StringComparison.Ordinal) + ", " + MediaRows.InfoColumns;

    /// <summary>
    /// The columns <see cref="AsShownTo"/> reads, of a message row aliased <paramref name="alias"/> (v1.1): the body and edit
    /// time the other participant of a direct conversation still sees after the sender edited it while blocked by them.
    /// </summary>
    public static string ShownColumnsOf(string alias) => $"{alias}.shown_body, {alias}.shown_edited_at";

    /// <summary>The message as <paramref name="viewer"/> sees it: with its pre-block body when the viewer blocked the editing sender.</summary>
    public static StoredMessage AsShownTo(StoredMessage message, DbDataReader r, int o, string viewer) =>
        r.IsDBNull(o) || message.Sender == viewer ? message
            : message with { Body = (byte[])r.GetValue(o), EditedAt = r.IsDBNull(o + 1) ? null : r.GetInt64(o + 1) };

    public static StoredMessage ReadMessage(DbDataReader r, int o) => new(
        Id: r.GetString(o + 2), Conv: r.GetString(o), N: r.GetInt64(o + 1), Sender: r.GetString(o + 3), Cid: r.GetString(o + 4),
        Kind: r.GetString(o + 5), Body: (byte[])r.GetValue(o + 6), Ts: r.GetInt64(o + 7),
        ExpiresAt: r.IsDBNull(o + 8) ? null : r.GetInt64(o + 8), SenderSeq: r.GetInt64(o + 9), Media: MediaRows.ReadInfo(r, o + 12),
        ReplyTo: r.IsDBNull(o + 10) ? null : r.GetInt64(o + 10), EditedAt: r.IsDBNull(o + 11) ? null : r.GetInt64(o + 11));
}
