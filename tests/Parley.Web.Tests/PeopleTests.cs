using Microsoft.Playwright;
using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>Who people are: a new chat only with someone who exists, and display names shown instead of usernames.</summary>
[Collection(BrowserTests.Name)]
public sealed class PeopleTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_new_chat_with_a_name_nobody_has_is_refused_and_the_name_is_said()
    {
        var (alice, bob, zed) = (Pair.Unique("alice_"), Pair.Unique("bob_"), Pair.Unique("zed_"));
        await WireClient.LoginAsync(fixture.Server, bob, ChatPage.Password);
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync();

        await a.Page.Locator("#btn-new-chat").ClickAsync();
        await a.Page.Locator("#new-chat-user").FillAsync(zed);
        await a.Page.Locator("#new-chat-user").PressAsync("Enter");
        await Expect(a.Page.Locator("#new-chat-error")).ToHaveTextAsync($"There is no user named “{zed}”.");
        await Expect(a.Page.Locator("#dlg-new-chat")).ToBeVisibleAsync();
        await a.ShotAsync("30-new-chat-no-such-user");
        await Expect(a.Page.Locator("#chat-main")).ToBeHiddenAsync();
        await Expect(a.Page.Locator(".chat-item")).ToHaveCountAsync(0);

        // A name that exists opens the chat, from the same dialog.
        await a.Page.Locator("#new-chat-user").FillAsync(bob);
        await a.Page.Locator("#new-chat-user").PressAsync("Enter");
        await Expect(a.Page.Locator("#chat-name")).ToHaveTextAsync(bob);
        await Expect(a.Page.Locator("#dlg-new-chat")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Display_names_are_shown_for_people_in_chats_groups_and_for_yourself()
    {
        var (alice, carol, dave) = (Pair.Unique("alice_"), Pair.Unique("carol_"), Pair.Unique("dave_"));
        await using var c = await WireClient.ConnectAsync(fixture.Server, await Accounts.RegisterAsync(fixture.Server, carol, "Carol Jones"));
        await Accounts.RegisterAsync(fixture.Server, dave, "Dave Brown");
        await using var a = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output);
        await a.SignUpAsync("Alice Liddell");
        await Expect(a.Page.Locator("#me-name")).ToHaveTextAsync("Alice Liddell");
        await Expect(a.Page.Locator("#me-name")).ToHaveAttributeAsync("title", $"@{alice}");
        await Expect(a.Page.Locator("#me-avatar")).ToHaveTextAsync("AL");

        // A direct chat: the list, the header and the info show carol's name; the info also her username.
        await Accounts.SendAsync(c, alice, "Hello from Carol");
        await Expect(a.ChatItem("Carol Jones")).ToBeVisibleAsync();
        await Expect(a.ChatItem("Carol Jones").Locator(".avatar")).ToHaveTextAsync("CJ");
        await a.OpenChatAsync("Carol Jones");
        await a.Page.Locator("#chat-title").ClickAsync();
        await Expect(a.Page.Locator("#info-name")).ToHaveTextAsync("Carol Jones");
        await Expect(a.Page.Locator("#info-sub")).ToContainTextAsync($"@{carol}");
        await a.Page.Keyboard.PressAsync("Escape");

        // The search finds a chat by the name shown as well as by username.
        await a.Page.Locator("#search").FillAsync("jones");
        await Expect(a.Page.Locator(".chat-item .chat-item-name")).ToHaveTextAsync(["Carol Jones"]);
        await a.Page.Locator("#search").FillAsync("");

        // A group: senders, members and notes read by name.
        var created = await c.RequestAsync(new() { ["type"] = "group.create", ["name"] = "Book club", ["members"] = new[] { carol, alice, dave } });
        var conv = created.GetProperty("conv").GetString()!;
        await Accounts.SendAsync(c, conv, "First book: Middlemarch");
        await a.OpenChatAsync("Book club");
        await Expect(a.Bubble("Middlemarch").Locator(".sender")).ToHaveTextAsync("Carol Jones");
        await Expect(a.Page.Locator("#messages .note").First).ToHaveTextAsync("Carol Jones created group \"Book club\"");
        await Expect(a.Status).ToHaveTextAsync("Carol Jones, Dave Brown, You");
        await a.ShotAsync("31-display-names-group");
        await a.Page.Locator("#chat-title").ClickAsync();
        await Expect(a.Page.Locator($"#info-members li[data-member='{dave}'] .who strong")).ToHaveTextAsync("Dave Brown");
        await Expect(a.Page.Locator($"#info-members li[data-member='{dave}'] .handle")).ToHaveTextAsync($"@{dave}");
        await Expect(a.Page.Locator($"#info-members li[data-member='{dave}'] .admin-badge")).ToHaveCountAsync(0);
        await Expect(a.Page.Locator($"#info-members li[data-member='{carol}'] .handle")).ToHaveTextAsync($"@{carol}");
        await Expect(a.Page.Locator($"#info-members li[data-member='{carol}'] .admin-badge")).ToHaveTextAsync("Group admin");
    }
}
