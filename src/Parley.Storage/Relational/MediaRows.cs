using System.Data.Common;
using Parley.Core.Media;

namespace Parley.Storage.Relational;

/// <summary>The SQL of media rows, shared by the writes (<see cref="MediaOps"/>, sends) and the reads.</summary>
internal static class MediaRows
{
    /// <summary>The columns <see cref="ReadInfo"/> reads, from a media row aliased <c>md</c>.</summary>
    public const string InfoColumns = "md.media_id, md.mime, md.size, md.width, md.height, md.duration_ms, md.thumbnail";

    /// <summary>The columns <see cref="ReadStored"/> reads.</summary>
    public const string StoredColumns = InfoColumns + ", md.blob, md.created_at";

    /// <summary>Joins a message row's media (aliased <c>md</c>) to the message row <paramref name="messages"/>.</summary>
    public static string JoinOn(string messages) => $"LEFT JOIN media md ON md.media_id = {messages}.media_id";

    /// <summary>
    /// Whether the user @p1 may see the media @p0 at time @p2: they uploaded it, or a message that has not
    /// expired references it in a conversation they are a member of and that they joined before it.
    /// </summary>
    public static readonly string Visible = VisibleTo("@p0", "@p1", "@p2");

    /// <summary>Whether the user <paramref name="user"/> may see the media <paramref name="mediaId"/> at <paramref name="now"/> (SQL expressions).</summary>
    public static string VisibleTo(string mediaId, string user, string now) =>
        $"""
        (EXISTS (SELECT 1 FROM media_uploads u WHERE u.media_id = {mediaId} AND u.username = {user})
         OR EXISTS (SELECT 1 FROM messages m JOIN members b ON b.conv = m.conv AND b.username = {user}
                    WHERE m.media_id = {mediaId} AND (m.expires_at IS NULL OR m.expires_at > {now}) AND m.n > b.joined_n))
        """;

    /// <summary>
    /// Whether the media row <paramref name="mediaId"/> may be swept at time @now: no live message references it, and
    /// either its last use was by a message (which has since expired or been deleted) or nothing used it since
    /// @orphanBefore. A message's reference is its <c>media_id</c>; deleting a message for everyone clears it.
    /// </summary>
    public static string Sweepable(string mediaId, string now, string orphanBefore) =>
        $"""
        (referenced = 1 OR last_used_at < {orphanBefore})
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.media_id = {mediaId} AND (m.expires_at IS NULL OR m.expires_at > {now}))
        """;

    /// <summary>The media of <see cref="InfoColumns"/> at <paramref name="o"/>; null when the row was absent (a LEFT JOIN).</summary>
    public static MediaInfo? ReadInfo(DbDataReader r, int o) => r.IsDBNull(o) ? null : new MediaInfo(
        Id: r.GetString(o), Mime: r.GetString(o + 1), Size: r.GetInt64(o + 2),
        Width: r.IsDBNull(o + 3) ? null : (int)r.GetInt64(o + 3), Height: r.IsDBNull(o + 4) ? null : (int)r.GetInt64(o + 4),
        DurationMs: r.IsDBNull(o + 5) ? null : r.GetInt64(o + 5), Thumbnail: r.GetInt64(o + 6) != 0);

    /// <summary>The media of <see cref="StoredColumns"/> at <paramref name="o"/>.</summary>
    public static StoredMedia ReadStored(DbDataReader r, int o) =>
        new(ReadInfo(r, o)!, r.GetString(o + 7), r.GetInt64(o + 8));
}
