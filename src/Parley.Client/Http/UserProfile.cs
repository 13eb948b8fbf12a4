namespace Parley.Client.Http;

/// <summary>A registered user: the answer of <c>POST /v1/users</c> and <c>GET /v1/users/{username}</c>.</summary>
/// <param name="Username">The username (the user's identity).</param>
/// <param name="DisplayName">The display name, when one was given.</param>
public sealed record UserProfile(string Username, string? DisplayName);
