using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Presence;
using Parley.Grains.Users;
using Parley.Server.Delivery;

namespace Parley.Server.Tests;

/// <summary>The routes a node learns from user grains: what a later change, a node's death and time do to them.</summary>
public sealed class NodeRoutesTests
{
    private static readonly NodeRoute[] OnB = [new("b", new NoInbox())];
    private static readonly NodeRoute[] OnBAndC = [new("b", new NoInbox()), new("c", new NoInbox())];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
    private readonly NodeRoutes _routes;

    public NodeRoutesTests() =>
        _routes = new NodeRoutes(_time, Options.Create(new SessionRegistryOptions { RouteLifetime = TimeSpan.FromMinutes(1) }));

    [Fact]
    public void An_answer_sent_before_a_change_and_arriving_after_it_is_not_taken()
    {
        _routes.Learn("u", 10, _routes.Epoch, OnB);
        Assert.True(_routes.TryGet("u", out var nodes));
        Assert.Equal(OnB, nodes);

        _routes.Forget("u", 11);
        Assert.False(_routes.TryGet("u", out _));
        // The grain's answer from before the change (version 10) overtaken by the news of it: ignored.
        _routes.Learn("u", 10, _routes.Epoch, OnB);
        Assert.False(_routes.TryGet("u", out _));
        // Its answer after the change carries the change's version (or a later one).
        _routes.Learn("u", 11, _routes.Epoch, OnBAndC);
        Assert.True(_routes.TryGet("u", out nodes));
        Assert.Equal(OnBAndC, nodes);
        // News of a change older than the route held is ignored too.
        _routes.Forget("u", 9);
        Assert.True(_routes.TryGet("u", out _));
    }

    [Fact]
    public void News_of_a_change_that_overtook_the_answer_before_it_keeps_that_answer_out()
    {
        _routes.Forget("u", 11);
        _routes.Learn("u", 10, _routes.Epoch, OnB);
        Assert.False(_routes.TryGet("u", out _));
    }

    [Fact]
    public void After_a_node_dies_every_route_is_asked_for_again_and_answers_to_earlier_asks_are_ignored()
    {
        var before = _routes.Epoch;
        _routes.Learn("u", 10, before, OnB);
        _routes.Learn("v", 10, before, []);

        _routes.ForgetAll();

        Assert.False(_routes.TryGet("u", out _));
        Assert.False(_routes.TryGet("v", out _));
        _routes.Learn("u", 12, before, OnB);
        Assert.False(_routes.TryGet("u", out _));
        _routes.Learn("u", 12, _routes.Epoch, OnB);
        Assert.True(_routes.TryGet("u", out _));
    }

    [Fact]
    public void A_route_is_used_for_its_lifetime_then_asked_for_again_and_an_empty_one_counts()
    {
        _routes.Learn("u", 10, _routes.Epoch, []);
        Assert.True(_routes.TryGet("u", out var nodes));
        Assert.Empty(nodes);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(_routes.TryGet("u", out _));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(_routes.TryGet("u", out _));
    }

    private sealed class NoInbox : INodeInbox
    {
        public Task OnInboxAsync(UserPushes[] pushes) => Task.CompletedTask;

        public Task OnRouteAsync(string user, long version, int epoch, NodeRoute[] nodes) => Task.CompletedTask;

        public Task OnRouteChangedAsync(string user, long version) => Task.CompletedTask;

        public Task OnDeviceRevokedAsync(string[] connectionIds, string deviceId) => Task.CompletedTask;

        public Task OnTypingAsync(string[] connectionIds, byte[] frame) => Task.CompletedTask;

        public Task OnRegistrationLostAsync(string[] connectionIds) => Task.CompletedTask;

        public Task OnPrivacyChangedAsync(string[] connectionIds, LastSeenPrivacy privacy) => Task.CompletedTask;
    }
}
