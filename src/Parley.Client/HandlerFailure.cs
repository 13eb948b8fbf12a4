namespace Parley.Client;

/// <summary>An event handler threw. The event still counts as processed, so that one bad event cannot stop the inbox.</summary>
/// <param name="Event">The event the handler was given.</param>
/// <param name="Exception">What it threw.</param>
public sealed record HandlerFailure(object Event, Exception Exception);
