namespace Parley.Protocol;

/// <summary>
/// The error codes of the protocol, as sent in <c>error</c> frames and HTTP error bodies.
/// Append-only: a code, once published, never changes its spelling or meaning.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The frame or request is malformed, or a field is missing or of the wrong type.</summary>
    public const string BadRequest = "bad_request";
    /// <summary>No valid credentials.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>The caller may not do this.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>The addressed user, conversation, message or media does not exist (or is hidden).</summary>
    public const string NotFound = "not_found";
    /// <summary>The request conflicts with the current state (for example a username already taken).</summary>
    public const string Conflict = "conflict";
    /// <summary>A body or upload is over its limit.</summary>
    public const string TooLarge = "too_large";
    /// <summary>The caller is over a rate limit; carries <c>retryAfterMs</c>.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>The server is shedding non-essential work; carries <c>retryAfterMs</c>.</summary>
    public const string Overloaded = "overloaded";
    /// <summary>Adding members would pass the group's member cap.</summary>
    public const string GroupFull = "group_full";
    /// <summary>The server failed; nothing was acknowledged.</summary>
    public const string Internal = "internal";
    /// <summary>HTTP only (415): the media type is not allowed or the bytes do not match it.</summary>
    public const string UnsupportedType = "unsupported_type";
}
