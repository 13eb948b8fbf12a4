namespace Parley.Storage.Relational;

// Writes that hold security limits (issue 17), one small class each; they run only inside the writer's transaction.

/// <summary>
/// A new device within the user's cap: the oldest live devices are revoked first, so that with the new one at most
/// <paramref name="maxDevices"/> are live. Returns the revoked devices, whose sockets are then closed.
/// </summary>
internal sealed class CreateDeviceWithinCapOp(Core.Users.NewDevice device, int maxDevices) : WriteOp<IReadOnlyList<string>>
{
    protected override async Task<IReadOnlyList<string>> RunAsync(WriteContext ctx)
    {
        // The user's watermark first, then the devices in key order: the global lock order (HotBatch). The watermark
        // makes two logins of one user on two nodes take turns, so the second sees the first's device and the cap holds.
        await ctx.ScalarAsync($"SELECT delivered_seq FROM inbox_delivered WHERE username = @p0{ctx.ForUpdate}", device.Username);
        var live = await ctx.ListAsync(
            $"SELECT device_id, created_at FROM devices WHERE username = @p0 AND revoked_at IS NULL AND expires_at > @p1 ORDER BY device_id{ctx.ForUpdate}",
            r => (Id: r.GetString(0), CreatedAt: r.GetInt64(1)), device.Username, device.CreatedAt);
        var revoked = live.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal)
            .Skip(Math.Max(0, maxDevices - 1)).Select(d => d.Id).ToList();
        foreach (var id in revoked) await ctx.ExecuteAsync("UPDATE devices SET revoked_at = @p1 WHERE device_id = @p0 AND revoked_at IS NULL", id, device.CreatedAt);
        await ctx.ExecuteAsync(
            "INSERT INTO devices(device_id, username, name, token_hash, created_at, expires_at) VALUES(@p0, @p1, @p2, @p3, @p4, @p5)",
            device.DeviceId, device.Username, device.DeviceName, device.TokenHash, device.CreatedAt, device.ExpiresAt);
        return revoked;
    }
}

/// <summary>
/// Replaces a password hash made with fewer iterations than the setting now asks for, if it is still the one that was
/// verified (a password change meanwhile wins).
/// </summary>
internal sealed class RehashPasswordOp(string user, string verifiedHash, string newHash) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx) =>
        await ctx.ExecuteAsync("UPDATE users SET password_hash = @p2 WHERE username = @p0 AND password_hash = @p1 AND deleted_at IS NULL", user, verifiedHash, newHash) == 1;
}

/// <summary>Security writes: single statements that ride in a hot batch's flush.</summary>
internal static class SecurityOps
{
    /// <summary>
    /// Records that <paramref name="user"/> wrote to <paramref name="contact"/> (a direct message): the contact may see a
    /// <c>contacts</c> last seen. It follows a user's first messages to someone, so it rides with them rather than
    /// costing a transaction of its own between their batches.
    /// </summary>
    public static StatementOp<bool> RecordContact(string user, string contact, long now) =>
        new(StatementTable.Contacts, user + "\n" + contact, "INSERT INTO contacts(username, contact, since) VALUES(@p0, @p1, @p2) ON CONFLICT DO NOTHING",
            [user, contact, now], rows => rows == 1);
}

/// <summary>The reads that hold security limits, as SQL the store runs on a read connection.</summary>
internal static class SecurityQueries
{
    /// <summary>Whether user @p0 has written to @p1.</summary>
    public const string IsContact = "SELECT 1 FROM contacts WHERE username = @p0 AND contact = @p1";

    /// <summary>Whether conversation @p0 holds a message (a direct one has its row from the first message, or a retention).</summary>
    public const string HasMessages = "SELECT 1 FROM conversations WHERE conv = @p0 AND last_n > 0";

    /// <summary>
    /// The bytes of the media user @p0 uploaded that no message uses (the uploads the media sweep deletes after
    /// OrphanAge): what the unused-upload quota counts. Through media_uploads_username.
    /// </summary>
    public const string UnusedUploadBytes =
        "SELECT COALESCE(SUM(md.size), 0) FROM media_uploads u JOIN media md ON md.media_id = u.media_id WHERE u.username = @p0 AND md.referenced = 0";
}
