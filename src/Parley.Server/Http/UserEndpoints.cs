using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Server.Auth;

namespace Parley.Server.Http;

/// <summary>GET /v1/users/{username}: whether an account exists, and its display name.</summary>
internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/users/{username}", GetUserAsync);
        return app;
    }

    // Clients check a name before opening a chat with it, as a phone checks a number; it needs a session, so
    // that the directory is not open to anyone who can reach the server.
    private static async Task<IResult> GetUserAsync(
        string username, HttpContext context, DeviceAuthenticator authenticator, IUserStore users, CancellationToken ct)
    {
        if (await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct) is null) return HttpErrors.Unauthorized();
        var credentials = Username.IsValid(username) ? await users.GetCredentialsAsync(new Username(username), ct) : null;
        return credentials is null
            ? HttpErrors.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"no user named {username}")
            : Results.Json(new RegisteredBody(credentials.Username, credentials.DisplayName), HttpJsonContext.Default.RegisteredBody);
    }
}
