namespace Parley.Client.Connection;

/// <summary>How a connection ended.</summary>
/// <param name="CloseStatus">The close code the server sent, or null when the connection broke or the client ended it.</param>
/// <param name="Reason">The close description or what went wrong.</param>
/// <param name="Error">The exception that broke it, when one did.</param>
internal readonly record struct SessionEnd(int? CloseStatus, string? Reason, Exception? Error = null);
