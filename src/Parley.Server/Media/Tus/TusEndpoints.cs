using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Parley.Core.Load;
using Parley.Protocol;
using Parley.Server.Auth;
using Parley.Server.Http;
using Parley.Server.Load;

namespace Parley.Server.Media.Tus;

/// <summary>
/// tus 1.0.0 at /v1/uploads: core (HEAD, PATCH, OPTIONS), <c>creation</c> (POST) and <c>termination</c> (DELETE).
/// Every response carries <c>Tus-Resumable</c>; every request but OPTIONS must carry it (else 412).
/// </summary>
internal static class TusEndpoints
{
    public static IEndpointRouteBuilder MapTusEndpoints(this IEndpointRouteBuilder app)
    {
        var uploads = app.MapGroup("/v1/uploads").AddEndpointFilter(RequireTusResumableAsync);
        uploads.MapMethods("", [HttpMethods.Options], Describe);
        uploads.MapMethods("{id}", [HttpMethods.Options], Describe);
        uploads.MapPost("", CreateAsync);
        uploads.MapMethods("{id}", [HttpMethods.Head], HeadAsync);
        uploads.MapMethods("{id}", [HttpMethods.Patch], PatchAsync);
        uploads.MapDelete("{id}", DeleteAsync);
        return app;
    }

    private static async ValueTask<object?> RequireTusResumableAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers[TusHeaders.TusResumable] = TusHeaders.Version;
        if (HttpMethods.IsOptions(http.Request.Method) || http.Request.Headers[TusHeaders.TusResumable] == TusHeaders.Version) return await next(context);
        http.Response.Headers[TusHeaders.TusVersion] = TusHeaders.Version;
        return HttpErrors.Error(StatusCodes.Status412PreconditionFailed, ErrorCodes.BadRequest, $"this server speaks tus {TusHeaders.Version}: send Tus-Resumable: {TusHeaders.Version}");
    }

    private static IResult Describe(HttpContext context, IOptions<MediaOptions> options)
    {
        var headers = context.Response.Headers;
        headers[TusHeaders.TusVersion] = TusHeaders.Version;
        headers[TusHeaders.TusExtension] = TusHeaders.Extensions;
        headers[TusHeaders.TusMaxSize] = MaxSize(options.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, DeviceAuthenticator authenticator, MediaUploads media, ResumableUploads uploads,
        IUploadAllowance allowance, LoadGovernor load, CancellationToken ct)
    {
        if (Shed(context, load) is { } shed) return shed;
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return HttpErrors.Unauthorized();

        var headers = context.Request.Headers;
        if (headers.ContainsKey(TusHeaders.UploadDeferLength)) return HttpErrors.BadRequest("Upload-Defer-Length is not supported: send Upload-Length");
        if (TusHeaders.ReadCount(headers, TusHeaders.UploadLength) is not { } length) return HttpErrors.BadRequest("Upload-Length must be a non-negative integer");
        var rawMetadata = headers[TusHeaders.UploadMetadata].ToString();
        if (UploadMetadata.Parse(rawMetadata) is not { } metadata) return HttpErrors.BadRequest("Upload-Metadata is malformed: comma-separated keys, each with a base64 value");
        if (!metadata.TryGetValue("filetype", out var filetype) || filetype.Length == 0) return HttpErrors.BadRequest("Upload-Metadata must name the file's type as filetype");
        var mime = MediaTypeHeaderValue.TryParse(filetype, out var type) ? type.MediaType.Value?.ToLowerInvariant() : null;
        if (mime is null || media.KindOf(mime) is not { } kind)
        {
            return UploadError.Unsupported($"{mime ?? filetype} is not allowed; allowed: {string.Join(", ", media.AllowedTypes)}").ToResult();
        }
        if (length > media.LimitOf(kind)) return UploadError.TooLarge($"{mime} uploads are at most {media.LimitOf(kind)} bytes").ToResult();
        if (length == 0) return HttpErrors.BadRequest("the upload is empty: Upload-Length must be at least 1");
        if (await allowance.CheckAsync(session.Username, length, ct) is { } refusal) return refusal.ToResult(context);

        var upload = await uploads.CreateAsync(session.Username, mime, length, rawMetadata.Length == 0 ? null : rawMetadata, ct);
        // Creation carries no bytes here (creation-with-upload is not offered): a body, if any, is not read.
        if (context.Request.ContentLength > 0) context.Response.Headers.Connection = "close";
        return Results.Created("/v1/uploads/" + upload.Id, null);
    }

    private static async Task<IResult> HeadAsync(string id, HttpContext context, DeviceAuthenticator authenticator, ResumableUploads uploads, CancellationToken ct)
    {
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return HttpErrors.Unauthorized();
        context.Response.Headers.CacheControl = "no-store";
        var outcome = await uploads.GetAsync(id, session.Username, ct);
        if (outcome.Status != PatchStatus.Done) return Answer(context, outcome);
        var upload = outcome.State!.Upload;
        var headers = context.Response.Headers;
        headers[TusHeaders.UploadOffset] = Text(outcome.State.Offset);
        headers[TusHeaders.UploadLength] = Text(upload.Length);
        if (upload.Metadata is not null) headers[TusHeaders.UploadMetadata] = upload.Metadata;
        if (upload.MediaId is not null) headers[TusHeaders.MediaId] = upload.MediaId;
        return Results.Ok();
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext context, DeviceAuthenticator authenticator, ResumableUploads uploads, LoadGovernor load)
    {
        if (Shed(context, load) is { } shed) return Close(context, shed);
        // Not cancelled when the client goes away: the bytes it sent before are still to be kept (see AppendAsync).
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), CancellationToken.None);
        if (session is null) return Close(context, HttpErrors.Unauthorized());
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals(TusHeaders.OffsetOctetStream, StringComparison.OrdinalIgnoreCase))
        {
            return Close(context, UploadError.Unsupported($"a PATCH body must be {TusHeaders.OffsetOctetStream}").ToResult());
        }
        if (TusHeaders.ReadCount(request.Headers, TusHeaders.UploadOffset) is not { } offset)
        {
            return Close(context, HttpErrors.BadRequest("Upload-Offset must be a non-negative integer"));
        }
        // The upload's length bounds the body, not Kestrel's default limit (30 MB for any request).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = null;

        var outcome = await uploads.AppendAsync(id, session.Username, offset, request.ContentLength, request.Body);
        if (outcome.State is { } state && outcome.Status is PatchStatus.Done)
        {
            context.Response.Headers[TusHeaders.UploadOffset] = Text(state.Offset);
            if (state.Upload.MediaId is not null) context.Response.Headers[TusHeaders.MediaId] = state.Upload.MediaId;
            return Results.NoContent();
        }
        // The body was not read to its end (or the client is gone): the connection cannot carry another request.
        return outcome.Status == PatchStatus.Refused ? Answer(context, outcome) : Close(context, Answer(context, outcome));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, DeviceAuthenticator authenticator, ResumableUploads uploads, CancellationToken ct)
    {
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return HttpErrors.Unauthorized();
        var outcome = await uploads.DeleteAsync(id, session.Username, ct);
        return outcome.Status == PatchStatus.Done ? Results.NoContent() : Answer(context, outcome);
    }

    /// <summary>The error a request on an upload ended with.</summary>
    private static IResult Answer(HttpContext context, PatchOutcome outcome) => outcome.Status switch
    {
        PatchStatus.NotFound => HttpErrors.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "no such upload"),
        PatchStatus.Busy => HttpErrors.RetryLater(context, StatusCodes.Status423Locked, ErrorCodes.Conflict, "another request is still writing this upload; retry", TimeSpan.FromSeconds(1)),
        PatchStatus.OffsetMismatch => HttpErrors.Error(StatusCodes.Status409Conflict, ErrorCodes.Conflict, $"the upload's offset is {outcome.State!.Offset}"),
        PatchStatus.TooLong => HttpErrors.Error(StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, $"the body goes past the upload's length ({outcome.State!.Upload.Length} bytes); nothing of it was kept"),
        // 409 rather than 400: the client (if it is still there) should ask HEAD for the offset and go on, as tus clients do after a 409.
        PatchStatus.Interrupted => HttpErrors.Error(StatusCodes.Status409Conflict, ErrorCodes.Conflict, $"the body ended early, at offset {outcome.State!.Offset}; the bytes that arrived are kept"),
        PatchStatus.Superseded => HttpErrors.Error(StatusCodes.Status409Conflict, ErrorCodes.Conflict, $"another PATCH took this upload over, at offset {outcome.State!.Offset}; the bytes that arrived are kept"),
        PatchStatus.Refused => outcome.Error!.ToResult(),
        _ => throw new InvalidOperationException("not an error: " + outcome.Status),
    };

    private static IResult? Shed(HttpContext context, LoadGovernor load)
    {
        // As POST /v1/media: an upload is the most expensive request a client can repeat later (tus clients retry 503).
        if (load.Current < LoadLevel.Overloaded) return null;
        load.CountShed(ShedKinds.MediaUpload);
        return HttpErrors.Overloaded(context, load.RetryAfter);
    }

    /// <summary>An answer after which the connection closes: the body may be unread, and must not be taken for the next request.</summary>
    private static IResult Close(HttpContext context, IResult result)
    {
        context.Response.Headers.Connection = "close";
        return result;
    }

    /// <summary>The largest upload of any allowed type.</summary>
    private static long MaxSize(MediaOptions options) => options.EffectiveAllowedTypes.Max(mime => options.LimitOf(MediaSniffer.Known[mime]));

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
