namespace Parley.Client;

/// <summary>The answer to <see cref="ParleyClient.PingAsync"/>.</summary>
/// <param name="ServerTime">The server's clock (Unix ms).</param>
/// <param name="RoundTrip">From writing the ping to reading the reply.</param>
public sealed record PingResult(long ServerTime, TimeSpan RoundTrip);
