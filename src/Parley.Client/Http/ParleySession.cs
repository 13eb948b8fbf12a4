namespace Parley.Client.Http;

/// <summary>A logged-in device: the answer of <c>POST /v1/sessions</c>.</summary>
/// <param name="Token">The bearer token, for <see cref="ParleyClientOptions.Token"/> and the HTTP calls that need one.</param>
/// <param name="DeviceId">The device the token belongs to.</param>
/// <param name="ExpiresAt">When the token expires (Unix ms).</param>
public sealed record ParleySession(string Token, string DeviceId, long ExpiresAt);
