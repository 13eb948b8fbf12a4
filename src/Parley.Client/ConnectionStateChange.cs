namespace Parley.Client;

/// <summary>A change of <see cref="ParleyClient.State"/>.</summary>
/// <param name="State">The new state.</param>
/// <param name="Previous">The state before.</param>
/// <param name="CloseStatus">The WebSocket close code that ended the last connection, when the server sent one.</param>
/// <param name="Reason">Why the last connection ended (the close description or the error's message), or null.</param>
public sealed record ConnectionStateChange(ConnectionState State, ConnectionState Previous, int? CloseStatus, string? Reason);
