using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Server.Auth;
using Parley.Server.Delivery;
using Parley.Server.Load;
using Parley.Server.RateLimits;

namespace Parley.Server.Http;

/// <summary>POST /v1/users, POST /v1/sessions, DELETE /v1/sessions/current, DELETE /v1/users/me.</summary>
internal static class AccountEndpoints
{
    private const int MinPasswordLength = 8;
    private const int MaxPasswordLength = 1024;
    private const int MaxNameLength = 64;
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/users", RegisterAsync).WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes)).WithAccountRateLimit();
        app.MapPost("/v1/sessions", LoginAsync).WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes)).WithAccountRateLimit();
        app.MapDelete("/v1/sessions/current", LogoutAsync);
        app.MapDelete("/v1/users/me", DeleteAccountAsync).WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes)).WithAccountRateLimit();
        return app;
    }

    private static async Task<IResult> RegisterAsync(HttpRequest request, IUserStore users, PasswordHasher hasher, PasswordHashSlots slots, LoadGovernor load,
        TimeProvider time, CancellationToken ct)
    {
        var (body, error) = await HttpErrors.ReadJsonAsync(request, HttpJsonContext.Default.RegisterBody, ct);
        if (body is null) return error!;
        if (!Username.IsValid(body.Username)) return HttpErrors.BadRequest("username must match ^[a-z0-9_]{3,32}$");
        if (body.Password is null || body.Password.Length < MinPasswordLength) return HttpErrors.BadRequest($"password must have at least {MinPasswordLength} characters");
        if (body.Password.Length > MaxPasswordLength) return HttpErrors.BadRequest($"password must have at most {MaxPasswordLength} characters");
        var displayName = string.IsNullOrWhiteSpace(body.DisplayName) ? body.Username! : body.DisplayName.Trim();
        if (displayName.Length > MaxNameLength) return HttpErrors.BadRequest($"displayName must have at most {MaxNameLength} characters");

        string hash;
        using (var slot = await slots.TryEnterAsync(ct))
        {
            if (slot is null) return HashesBusy(request.HttpContext, load);
            hash = hasher.Hash(body.Password);
        }
        var user = new NewUser(body.Username!, displayName, hash, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!await users.CreateUserAsync(user, ct))
        {
            return HttpErrors.Error(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "username is taken");
        }
        return Results.Json(new RegisteredBody(user.Username, user.DisplayName), HttpJsonContext.Default.RegisteredBody, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> LoginAsync(
        HttpRequest request, IUserStore users, PasswordHasher hasher, PasswordHashSlots slots, LoginThrottle throttle, DeviceAuthenticator authenticator,
        LoadGovernor load, IGrainFactory grains, TimeProvider time, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var (body, error) = await HttpErrors.ReadJsonAsync(request, HttpJsonContext.Default.LoginBody, ct);
        if (body is null) return error!;
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password)) return HttpErrors.BadRequest("username and password are required");
        if (body.Password.Length > MaxPasswordLength) return HttpErrors.Unauthorized();
        var deviceName = string.IsNullOrWhiteSpace(body.DeviceName) ? "device" : body.DeviceName.Trim();
        if (deviceName.Length > MaxNameLength) return HttpErrors.BadRequest($"deviceName must have at most {MaxNameLength} characters");

        // A device that holds a valid token of this user is counted apart: others' failures never lock it out.
        var holder = DeviceTokens.FromHeader(request.HttpContext) is { } presented ? await authenticator.AuthenticateAsync(presented, ct) : null;
        var key = holder is not null && holder.Username == body.Username ? LoginThrottle.ForDevice(holder.DeviceId) : LoginThrottle.ForName(body.Username);
        if (throttle.LockedFor(key) is { } locked) return LockedOut(request.HttpContext, locked);

        var credentials = Username.IsValid(body.Username) ? await users.GetCredentialsAsync(new Username(body.Username), ct) : null;
        using (var slot = await slots.TryEnterAsync(ct))
        {
            if (slot is null) return HashesBusy(request.HttpContext, load);
            if (!hasher.Verify(body.Password, credentials?.PasswordHash) || credentials is null)
            {
                throttle.Failed(key);
                return HttpErrors.Unauthorized();
            }
            throttle.Succeeded(key);
            // The setting rose since this hash was made: the password is at hand only now, so it is rehashed now.
            if (hasher.NeedsRehash(credentials.PasswordHash))
            {
                await users.RehashPasswordAsync(new Username(credentials.Username), credentials.PasswordHash, hasher.Hash(body.Password), ct);
            }
        }

        var now = time.GetUtcNow();
        var token = DeviceTokens.Create();
        var device = new NewDevice(DeviceTokens.NewDeviceId(), credentials.Username, deviceName, DeviceTokens.Hash(token),
            now.ToUnixTimeMilliseconds(), (now + options.Value.TokenLifetime).ToUnixTimeMilliseconds());
        var revoked = await users.CreateDeviceWithinCapAsync(device, options.Value.MaxDevicesPerUser, ct);
        // Past the cap the oldest devices were revoked: their sockets close (4401) as after a logout.
        var user = grains.GetGrain<Grains.Users.IUserGrain>(credentials.Username);
        foreach (var old in revoked) await user.RevokeDeviceAsync(old);
        return Results.Json(new SessionBody(token, device.DeviceId, device.ExpiresAt), HttpJsonContext.Default.SessionBody);
    }

    /// <summary>429 for a name (or device) locked after failed logins: refused before any hash is computed.</summary>
    private static IResult LockedOut(HttpContext context, TimeSpan locked)
    {
        context.RequestServices.GetRequiredService<Observability.ParleyMetrics>().RateLimited("login");
        return HttpErrors.RetryLater(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "too many failed logins; retry later", locked);
    }

    /// <summary>503 when every password-hash slot stayed busy: logins wait rather than take the node's cores.</summary>
    private static IResult HashesBusy(HttpContext context, LoadGovernor load)
    {
        load.CountShed(Core.Load.ShedKinds.PasswordHash);
        return HttpErrors.Overloaded(context, load.RetryAfter);
    }

    private static async Task<IResult> LogoutAsync(
        HttpContext context, DeviceAuthenticator authenticator, IUserStore users, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return HttpErrors.Unauthorized();
        await users.RevokeDeviceAsync(session.DeviceId, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        await grains.GetGrain<Grains.Users.IUserGrain>(session.Username).RevokeDeviceAsync(session.DeviceId);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAccountAsync(
        HttpContext context, DeviceAuthenticator authenticator, IUserStore users, PasswordHasher hasher, PasswordHashSlots slots, LoginThrottle throttle,
        LoadGovernor load, InboxPublisher publisher, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return HttpErrors.Unauthorized();
        var (body, error) = await HttpErrors.ReadJsonAsync(context.Request, HttpJsonContext.Default.PasswordBody, ct);
        if (body is null) return error!;
        if (string.IsNullOrEmpty(body.Password)) return HttpErrors.BadRequest("password is required");
        // A wrong password here is a guess like a failed login (by whoever holds the token): it counts against the device.
        var key = LoginThrottle.ForDevice(session.DeviceId);
        if (throttle.LockedFor(key) is { } locked) return LockedOut(context, locked);
        var credentials = await users.GetCredentialsAsync(new Username(session.Username), ct);
        using (var slot = await slots.TryEnterAsync(ct))
        {
            if (slot is null) return HashesBusy(context, load);
            if (body.Password.Length > MaxPasswordLength || !hasher.Verify(body.Password, credentials?.PasswordHash) || credentials is null)
            {
                throttle.Failed(key);
                return HttpErrors.Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "wrong password");
            }
        }

        var deletion = await users.DeleteAccountAsync(new Username(session.Username), time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        if (deletion is null) return HttpErrors.Unauthorized();
        // Group departures may complete aggregated receipts: the groups are told, as after any marker move.
        publisher.Publish(new Core.Inbox.MarkerResult(deletion.Writes, deletion.GroupsLeft));
        var user = grains.GetGrain<Grains.Users.IUserGrain>(session.Username);
        foreach (var device in deletion.Devices) await user.RevokeDeviceAsync(device);
        return Results.NoContent();
    }
}
