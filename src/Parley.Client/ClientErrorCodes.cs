namespace Parley.Client;

/// <summary>
/// Error codes that the client gives <see cref="ParleyException"/> itself, for failures no server reported. A server never
/// sends them; they sit beside the protocol's <see cref="Parley.Protocol.ErrorCodes"/>.
/// </summary>
public static class ClientErrorCodes
{
    /// <summary>
    /// The server could not be reached: the connection was refused or broke, the name did not resolve, or no answer came
    /// in time. The message names the address that was tried; the inner exception is the network's own error.
    /// </summary>
    public const string Unreachable = "unreachable";
}
