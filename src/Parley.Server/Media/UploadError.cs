using Parley.Protocol;
using Parley.Server.Http;

namespace Parley.Server.Media;

/// <summary>Why an upload was refused, as the HTTP error it becomes.</summary>
internal sealed record UploadError(int Status, string Code, string Message)
{
    public static UploadError TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.TooLarge, message);

    public static UploadError Unsupported(string message) => new(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedType, message);

    public static UploadError Invalid(string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, message);

    public static UploadError Corrupt { get; } = Invalid("the file is truncated or corrupt");

    /// <summary>When a rate refused it: how long until it would be admitted.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public IResult ToResult() => HttpErrors.Error(Status, Code, Message);

    /// <summary>The error, with <c>Retry-After</c> when the refusal has one.</summary>
    public IResult ToResult(HttpContext context) =>
        RetryAfter is { } after ? HttpErrors.RetryLater(context, Status, Code, Message, after) : ToResult();
}
