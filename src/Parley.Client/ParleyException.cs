using Parley.Protocol;

namespace Parley.Client;

/// <summary>
/// The server refused a request (an <c>error</c> frame or an HTTP error, with the protocol's error code), or could not be
/// reached at all (<see cref="ClientErrorCodes.Unreachable"/>).
/// </summary>
public class ParleyException : Exception
{
    /// <summary>Creates the exception for an error code.</summary>
    /// <param name="code">An <see cref="ErrorCodes"/> value.</param>
    /// <param name="message">The server's explanation.</param>
    /// <param name="retryAfterMs">For <c>rate_limited</c> and <c>overloaded</c>: when to try again.</param>
    /// <param name="httpStatus">The HTTP status, for errors of the HTTP API.</param>
    public ParleyException(string code, string message, long? retryAfterMs = null, int? httpStatus = null)
        : base(message)
    {
        Code = code;
        RetryAfterMs = retryAfterMs;
        HttpStatus = httpStatus;
    }

    /// <summary>Creates the exception for an error code, with the failure that caused it.</summary>
    /// <param name="code">An <see cref="ErrorCodes"/> or <see cref="ClientErrorCodes"/> value.</param>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="innerException">The underlying failure (a network error, say).</param>
    public ParleyException(string code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Creates an <c>internal</c> error.</summary>
    public ParleyException()
        : this(ErrorCodes.Internal, "internal error")
    {
    }

    /// <summary>Creates an <c>internal</c> error with a message.</summary>
    public ParleyException(string message)
        : this(ErrorCodes.Internal, message)
    {
    }

    /// <summary>Creates an <c>internal</c> error with a message and a cause.</summary>
    public ParleyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.Internal;
    }

    /// <summary>The protocol's error code (see <see cref="ErrorCodes"/>), or one of <see cref="ClientErrorCodes"/> for failures the client found itself.</summary>
    public string Code { get; }

    /// <summary>For <c>rate_limited</c> and <c>overloaded</c>: the server's hint when to try again, in milliseconds.</summary>
    public long? RetryAfterMs { get; }

    /// <summary>The HTTP status code for errors of the HTTP API; null for WebSocket replies.</summary>
    public int? HttpStatus { get; }
}
