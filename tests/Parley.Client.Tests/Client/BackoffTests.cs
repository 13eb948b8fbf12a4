using Parley.Client.Connection;

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
}
