using Parley.Client.Connection;
using Parley.Client.Transport;

namespace Parley.Client.Tests.Client;

public class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_delay_doubles_per_attempt_between_half_and_the_whole_step()
    {
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var step = Min * Math.Pow(2, attempt);
            Assert.Equal(step / 2, Backoff.Delay(attempt, Min, Max, 0));
            Assert.Equal(step, Backoff.Delay(attempt, Min, Max, 1));
            var middle = Backoff.Delay(attempt, Min, Max, 0.5);
            Assert.InRange(middle, step / 2, step);
        }
    }

    [Fact]
    public void The_delay_never_passes_the_maximum_even_after_many_attempts()
    {
        Assert.Equal(Max, Backoff.Delay(50, Min, Max, 1));
        Assert.Equal(Max, Backoff.Delay(int.MaxValue, Min, Max, 1));
        Assert.Equal(Max / 2, Backoff.Delay(1000, Min, Max, 0));
    }

    [Fact]
    public void A_zero_minimum_means_reconnect_at_once() =>
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(3, TimeSpan.Zero, TimeSpan.Zero, 0.7));

    [Fact]
    public void After_a_refusal_the_wait_is_at_least_the_Retry_After_and_at_most_twice_it()
    {
        var retryAfter = TimeSpan.FromSeconds(2);
        Assert.Equal(retryAfter, Backoff.AfterRefusal(retryAfter, 0));
        Assert.Equal(2 * retryAfter, Backoff.AfterRefusal(retryAfter, 1));
        Assert.InRange(Backoff.AfterRefusal(retryAfter, 0.5), retryAfter, 2 * retryAfter);
        Assert.Equal(TimeSpan.Zero, Backoff.AfterRefusal(TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_an_HTTP_date()
    {
        var now = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(5), UpgradeRefusedException.ParseRetryAfter("5", now));
        Assert.Equal(TimeSpan.FromSeconds(30), UpgradeRefusedException.ParseRetryAfter("Mon, 07 Dec 2026 01:00:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, UpgradeRefusedException.ParseRetryAfter("Mon, 07 Dec 2026 00:59:00 GMT", now));
        Assert.Null(UpgradeRefusedException.ParseRetryAfter(null, now));
        Assert.Null(UpgradeRefusedException.ParseRetryAfter("soon", now));
    }
}
