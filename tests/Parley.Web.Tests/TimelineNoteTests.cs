using System.Text.Json;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Issue 20 item 2: a chat's system notes (group changes, disappearing messages) read the same before and after a reload.</summary>
[Collection(BrowserTests.Name)]
public sealed class TimelineNoteTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static async Task<JsonElement> OkAsync(WireClient client, Dictionary<string, object?> frame)
    {
        var reply = await client.RequestAsync(frame);
        Assert.True(reply.GetProperty("type").GetString() == "ok", reply.ToString());
        return reply;
    }

    private static Task<JsonElement> SendAsync(WireClient from, string conv, string text) =>
        OkAsync(from, new() { ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), ["conv"] = conv, ["body"] = text });

    /// <summary>The timeline as its reader sees it: notes and message texts, in order.</summary>
    private static Task<string[]> TimelineAsync(ChatPage page) =>
        page.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#messages .note, #messages .msg')]
              .map((e) => e.classList.contains('note') ? 'note: ' + e.textContent : 'msg: ' + (e.querySelector('.text')?.textContent ?? ''))
            """);

    [Fact]
    public async Task A_groups_notes_stay_in_place_after_a_reload()
    {
        var (alice, bob, carol) = (Pair.Unique("alice_"), Pair.Unique("bob_"), Pair.Unique("carol_"));
        await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password);
        await using var b = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password));
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync();

        var conv = (await OkAsync(b, new() { ["type"] = "group.create", ["name"] = "Notes trip", ["members"] = new[] { alice } })).GetProperty("conv").GetString()!;
        await SendAsync(b, conv, "Plan for Saturday");
        await OkAsync(b, new() { ["type"] = "group.add", ["conv"] = conv, ["members"] = new[] { carol } });
        await OkAsync(b, new() { ["type"] = "group.rename", ["conv"] = conv, ["name"] = "Saturday trip" });
        await OkAsync(b, new() { ["type"] = "retention", ["conv"] = conv, ["ttl"] = 86400 });
        await SendAsync(b, conv, "See you there");
        await a.OpenChatAsync("Saturday trip");
        await Expect(a.Bubble("See you there")).ToBeVisibleAsync();
        string[] expected =
        [
            $"note: {bob} created group \"Notes trip\"",
            "msg: Plan for Saturday",
            $"note: {bob} added {carol}",
            $"note: {bob} changed the group name to \"Saturday trip\"",
            "note: Disappearing messages were turned on. New messages will disappear after 24 hours.",
            "msg: See you there",
        ];
        Assert.Equal(expected, await TimelineAsync(a));

        await a.Page.ReloadAsync();
        await a.ExpectOnlineAsync();
        await a.OpenChatAsync("Saturday trip");
        await Expect(a.Bubble("See you there")).ToBeVisibleAsync();
        await Expect(a.Page.Locator("#messages .note")).ToHaveCountAsync(4);
        Assert.Equal(expected, await TimelineAsync(a));
        await a.ShotAsync("40-notes-after-reload");
    }
}
