using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>A group made, used and managed from the browser: members, admins, remove, add, leave.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class GroupTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_group_is_created_used_and_managed_by_its_admin()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob, carol) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User, Pair.Unique("carol_"));
        // Carol uses another client: she acks and reads over the wire, so the group's ticks can be checked.
        await using var c = await WireClient.ConnectAsync(fixture.Server, await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password));

        await a.Page.Locator("#btn-new-group").ClickAsync();
        await a.Page.Locator("#new-group-name").FillAsync("Weekend trip");
        await a.Page.Locator("#new-group-members").FillAsync($"{bob}, {carol}");
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#chat-name")).ToHaveTextAsync("Weekend trip");
        await Expect(a.Status).ToHaveTextAsync($"{bob}, {carol}, You");
        await Expect(a.Page.Locator("#messages .note")).ToHaveTextAsync("You created group \"Weekend trip\"");
        await a.SendAsync("Who is in for Saturday?");
        await Expect(a.Tick("Who is in for Saturday?")).ToHaveAttributeAsync("data-status", "sent");

        // Bob's browser acks it at once; once carol has too, alice's tick doubles (the group's receipt, by "*").
        var atCarol = await c.NextAsync(f => f.GetProperty("type").GetString() == "message");
        await c.SendAsync(new { type = "ack", seq = atCarol.GetProperty("seq").GetInt64() });
        await Expect(a.Tick("Who is in for Saturday?")).ToHaveAttributeAsync("data-status", "delivered");

        // Bob's list shows the new group with the last message and who wrote it.
        await Expect(b.ChatItem("Weekend trip").Locator(".chat-item-last")).ToHaveTextAsync($"{alice}: Who is in for Saturday?");
        await b.OpenChatAsync("Weekend trip");
        await Expect(b.Bubble("Who is in for Saturday?").Locator(".sender")).ToHaveTextAsync(alice);
        // Read by bob (the chat is open) and by carol: blue.
        await c.SendAsync(new { type = "read", conv = atCarol.GetProperty("conv").GetString(), upTo = atCarol.GetProperty("n").GetInt64() });
        await Expect(a.Tick("Who is in for Saturday?")).ToHaveAttributeAsync("data-status", "read");
        await b.SendAsync("Me, count me in!");
        await Expect(a.Bubble("Me, count me in!").Locator(".sender")).ToHaveTextAsync(bob);
        await a.ShotAsync("10-group-chat");

        // Alice's group info: three members, she is the admin, and she may remove others.
        await a.Page.Locator("#chat-title").ClickAsync();
        var members = a.Page.Locator("#info-members li");
        await Expect(members).ToHaveCountAsync(3);
        await Expect(a.Page.Locator($"#info-members li[data-member='{alice}'] .admin-badge")).ToBeVisibleAsync();
        await Expect(a.Page.Locator($"#info-members li[data-member='{bob}'] .admin-badge")).ToHaveCountAsync(0);
        await a.ShotAsync("11-group-info");
        await a.Page.Locator($"#info-members li[data-member='{carol}'] .member-menu-btn").ClickAsync();
        await a.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Remove from group" }).ClickAsync();
        await Expect(a.Page.Locator("#confirm-text")).ToHaveTextAsync($"Remove {carol} from “Weekend trip”?");
        await a.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(members).ToHaveCountAsync(2);
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} removed {carol}");

        // Added back, and bob made an admin.
        await a.Page.Locator("#add-member-input").FillAsync(carol);
        await a.Page.Locator("#add-member-input").PressAsync("Enter");
        await Expect(members).ToHaveCountAsync(3);
        await a.Page.Locator($"#info-members li[data-member='{bob}'] .member-menu-btn").ClickAsync();
        await a.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Make group admin" }).ClickAsync();
        await Expect(a.Page.Locator($"#info-members li[data-member='{bob}'] .admin-badge")).ToBeVisibleAsync();
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync("You are now an admin");
        await a.Page.Keyboard.PressAsync("Escape");
        await Expect(a.Page.Locator("#dlg-info")).ToBeHiddenAsync();

        // Bob leaves: his composer gives way to a note, and alice sees him go.
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-members li")).ToHaveCountAsync(3);
        await b.Page.Locator("#btn-leave").ClickAsync();
        await b.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(b.Page.Locator("#left-note")).ToBeVisibleAsync();
        await Expect(b.Page.Locator("#composer")).ToBeHiddenAsync();
        await Expect(a.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{bob} left");
        await Expect(a.Status).ToHaveTextAsync(new Regex($"^{carol}, You$"));
        await b.ShotAsync("12-group-left");

        // After a reload the group bob left is still in his list, as it was: no unread badge for what he cannot see.
        await a.SendAsync("Bob is gone");
        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await Expect(b.ChatItem("Weekend trip")).ToBeVisibleAsync();
        await Expect(b.ChatItem("Weekend trip").Locator(".badge")).ToBeHiddenAsync();
        await b.OpenChatAsync("Weekend trip");
        await Expect(b.Page.Locator("#left-note")).ToBeVisibleAsync();
        await Expect(b.Page.Locator("#composer")).ToBeHiddenAsync();
        await b.ShotAsync("13-group-left-after-reload");
    }
}
