namespace Parley.Client;

/// <summary>
/// The handler of a <see cref="ParleyClient"/> event. Handlers run one at a time, in the order of the events;
/// in <see cref="AckMode.Automatic"/> an inbox event is acknowledged once its handlers have completed.
/// </summary>
/// <typeparam name="TEvent">The event.</typeparam>
/// <param name="e">The event.</param>
/// <param name="cancellationToken">Cancelled when the client is disposed.</param>
public delegate ValueTask ParleyHandler<in TEvent>(TEvent e, CancellationToken cancellationToken);
