namespace Parley.Client;

/// <summary>
/// The connection dropped after a request that is not safe to repeat was written and before its reply came:
/// the server may or may not have carried it out. Requests that are safe to repeat (send, read, history, ...)
/// are re-sent after the reconnect instead.
/// </summary>
public class ParleyConnectionLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParleyConnectionLostException()
        : base("the connection dropped before the reply; the request may or may not have been carried out")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ParleyConnectionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ParleyConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
