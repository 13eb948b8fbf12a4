namespace Parley.Client;

/// <summary>An event handler threw (see <see cref="ParleyClientOptions.HandlerFailurePolicy"/> for what happens to its event).</summary>
/// <param name="Event">The event the handler was given.</param>
/// <param name="Exception">What it threw.</param>
/// <param name="Attempt">How many times the handler was given this event (1 for the first).</param>
/// <param name="WillRetry">True when the handler will be called with the event again (an inbox event under <see cref="HandlerFailurePolicy.Retry"/>).</param>
public sealed record HandlerFailure(object Event, Exception Exception, int Attempt, bool WillRetry);
