using System.Text.Json;
using Parley.Protocol;

namespace Parley.Server.Http;

/// <summary>HTTP errors in the protocol's shape: <c>{"error":{"code","message"}}</c>.</summary>
internal static class HttpErrors
{
    public static IResult Error(int status, string code, string message, long? retryAfterMs = null) =>
        Results.Json(new ErrorBody(new ErrorDetail(code, message, retryAfterMs)), HttpJsonContext.Default.ErrorBody, statusCode: status);

    /// <summary>The message of a 503 <c>overloaded</c>.</summary>
    public const string OverloadedMessage = "the server is overloaded; retry later";

    /// <summary>503 <c>overloaded</c> with <c>retryAfterMs</c> and a Retry-After header.</summary>
    public static IResult Overloaded(HttpContext context, TimeSpan retryAfter) =>
        RetryLater(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Overloaded, OverloadedMessage, retryAfter);

    /// <summary>An error that says when to come back: <c>retryAfterMs</c> in the body, Retry-After (whole seconds, rounded up) in the headers.</summary>
    public static IResult RetryLater(HttpContext context, int status, string code, string message, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = RetryAfterHeader(retryAfter);
        return Error(status, code, message, RetryAfterMs(retryAfter));
    }

    /// <summary>The Retry-After header's value: whole seconds, rounded up.</summary>
    public static string RetryAfterHeader(TimeSpan retryAfter) =>
        ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The body <see cref="RetryLater"/> writes, for a response written without HttpContext (the gateway's own refusals).</summary>
    public static byte[] RetryLaterBody(string code, string message, TimeSpan retryAfter) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(new ErrorDetail(code, message, RetryAfterMs(retryAfter))), HttpJsonContext.Default.ErrorBody);

    private static long RetryAfterMs(TimeSpan retryAfter) => (long)Math.Ceiling(retryAfter.TotalMilliseconds);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, message);

    public static IResult Unauthorized() => Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "missing, invalid or revoked credentials");

    /// <summary>Reads a JSON body; null (and a 400 to return) when it is not a JSON object of the expected shape.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return body is null ? (null, BadRequest("the body must be a JSON object")) : (body, null);
        }
        catch (JsonException)
        {
            return (null, BadRequest("the body must be a JSON object with string fields"));
        }
    }
}
