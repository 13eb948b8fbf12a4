namespace Parley.Client.Http.Uploads;

/// <summary>How far an upload is.</summary>
/// <param name="BytesSent">
/// Bytes handed to the connection so far. After a dropped connection it goes back to what the server reports it holds,
/// and climbs again from there.
/// </param>
/// <param name="Length">The whole file's length.</param>
public readonly record struct UploadProgress(long BytesSent, long Length);
