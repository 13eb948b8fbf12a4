using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Parley.Core.Load;
using Parley.Core.Media;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Server.Auth;
using Parley.Server.Http;
using Parley.Server.Load;

namespace Parley.Server.Media;

/// <summary>POST /v1/media, GET /v1/media/{id}, GET /v1/media/{id}/thumbnail.</summary>
internal static partial class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/media", UploadAsync);
        app.MapGet("/v1/media/{id}", (string id, HttpContext context, DeviceAuthenticator authenticator, IMediaCatalog catalog, IMediaStore store, TimeProvider time, CancellationToken ct) =>
            ServeAsync(id, MediaVariant.Original, context, authenticator, catalog, store, time, ct));
        app.MapGet("/v1/media/{id}/thumbnail", (string id, HttpContext context, DeviceAuthenticator authenticator, IMediaCatalog catalog, IMediaStore store, TimeProvider time, CancellationToken ct) =>
            ServeAsync(id, MediaVariant.Thumbnail, context, authenticator, catalog, store, time, ct));
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, DeviceAuthenticator authenticator, MediaUploads uploads, LoadGovernor load,
        RateLimits.UploadAllowance allowance, ILoggerFactory loggers, CancellationToken ct)
    {
        // Shed before anything is read or looked up: an upload is the most expensive request a client can repeat later.
        if (load.Current >= LoadLevel.Overloaded)
        {
            load.CountShed(ShedKinds.MediaUpload);
            return Refuse(context, HttpErrors.Overloaded(context, load.RetryAfter));
        }
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return Refuse(context, HttpErrors.Unauthorized());

        var request = context.Request;
        var mime = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ? type.MediaType.Value?.ToLowerInvariant() : null;
        if (mime is null || uploads.KindOf(mime) is not { } kind)
        {
            return Refuse(context, UploadError.Unsupported($"{mime ?? "a missing type"} is not allowed; allowed: {string.Join(", ", uploads.AllowedTypes)}").ToResult());
        }
        var limit = uploads.LimitOf(kind);
        if (request.ContentLength > limit) return Refuse(context, UploadError.TooLarge($"{mime} uploads are at most {limit} bytes").ToResult());
        // The user's upload rate and unused-upload quota, before any of the body is read; an upload without a length is
        // charged its type's limit.
        using var admission = await allowance.TryAdmitAsync(session.Username, request.ContentLength ?? limit, ct);
        if (!admission.Admitted)
        {
            RequestServicesMetrics(context).RateLimited("upload");
            return Refuse(context, admission.ToResult(context));
        }
        // The limit is enforced while streaming, per type; Kestrel's own (30 MB for every request) would stop videos.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = null;

        try
        {
            var (media, error) = await uploads.UploadAsync(session.Username, mime, request.Body, ct);
            if (media is null) return Refuse(context, error!.ToResult());
            return Results.Json(MediaBody.From(media.Info), MediaJsonContext.Default.MediaBody, statusCode: StatusCodes.Status201Created);
        }
        catch (BadHttpRequestException ex)
        {
            // The body ended before its Content-Length, or was malformed; nothing was stored.
            var logger = loggers.CreateLogger("Parley.Server.Media.MediaEndpoints");
            LogBadBody(logger, ex);
            return Refuse(context, UploadError.Invalid("the upload ended early or was malformed").ToResult());
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return Results.Empty;
        }
    }

    /// <summary>
    /// A refused upload: the connection is closed after the answer. Most refusals come before the body was read to
    /// the end, and the server should neither read the rest (up to 100 MiB) nor take it for the next request.
    /// </summary>
    private static Observability.ParleyMetrics RequestServicesMetrics(HttpContext context) =>
        context.RequestServices.GetRequiredService<Observability.ParleyMetrics>();

    private static IResult Refuse(HttpContext context, IResult error)
    {
        context.Response.Headers.Connection = "close";
        return error;
    }

    private static async Task<IResult> ServeAsync(
        string id, MediaVariant variant, HttpContext context, DeviceAuthenticator authenticator, IMediaCatalog catalog, IMediaStore store, TimeProvider time, CancellationToken ct)
    {
        var session = await authenticator.AuthenticateAsync(DeviceTokens.FromHeader(context), ct);
        if (session is null) return HttpErrors.Unauthorized();
        // Absent and not allowed read the same, so that an id says nothing about media one may not see.
        var media = MediaIds.IsValid(id) ? await catalog.GetVisibleMediaAsync(id, new Username(session.Username), time.GetUtcNow().ToUnixTimeMilliseconds(), ct) : null;
        if (media is null || (variant == MediaVariant.Thumbnail && !media.Info.Thumbnail)) return NotFound();
        var stream = await store.OpenReadAsync(media.Blob, variant, ct);
        if (stream is null) return NotFound();

        var headers = context.Response.Headers;
        headers.CacheControl = "private";
        headers.XContentTypeOptions = "nosniff";
        // Only photos and videos are shown in the page; anything else (a document, or a type that is no longer known)
        // is a download, so that no upload can ever render as a page of this origin.
        if (variant == MediaVariant.Original && !IsShownInline(media.Info.Mime)) headers.ContentDisposition = DocumentDownload.Disposition(id, media.Info.Mime);
        // Content addressing makes the hash a strong validator: the bytes of an id never change.
        var tag = new EntityTagHeaderValue(variant == MediaVariant.Thumbnail ? $"\"{id}-thumbnail\"" : $"\"{id}\"");
        return Results.File(stream, variant == MediaVariant.Thumbnail ? "image/jpeg" : media.Info.Mime,
            lastModified: DateTimeOffset.FromUnixTimeMilliseconds(media.CreatedAt), entityTag: tag, enableRangeProcessing: true);
    }

    private static bool IsShownInline(string mime) => MediaSniffer.Known.TryGetValue(mime, out var kind) && kind is MediaKind.Image or MediaKind.Video;

    private static IResult NotFound() => HttpErrors.Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "no such media");

    [LoggerMessage(EventId = 7005, Level = LogLevel.Debug, Message = "An upload's body ended early or was malformed")]
    private static partial void LogBadBody(ILogger logger, Exception exception);
}
