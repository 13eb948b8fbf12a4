using Parley.Testing;
using Parley.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>What a group's admin does in its info: rename it, describe it, add people (only people who exist), and how it reads.</summary>
[Collection(BrowserTests.Name)]
public sealed class GroupAdminTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_admin_renames_the_group_and_adds_people_and_unknown_names_are_named()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice, bob, carol, zed) = (pair.Alice, pair.Bob, pair.Alice.User, pair.Bob.User, Pair.Unique("carol_"), Pair.Unique("zed_"));
        await WireClient.LoginAsync(fixture.Server, carol, ChatPage.Password);

        // Creating a group with a name nobody has says which name.
        await a.Page.Locator("#btn-new-group").ClickAsync();
        await a.Page.Locator("#new-group-name").FillAsync("Weekend trip");
        await a.Page.Locator("#new-group-members").FillAsync($"{carol}, {zed}");
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#new-group-error")).ToHaveTextAsync($"There is no user named “{zed}”.");
        await a.Page.Locator("#new-group-members").FillAsync(carol);
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#chat-name")).ToHaveTextAsync("Weekend trip");

        // Adding: an unknown name is named and nobody is added; then bob is added, and his note says "you".
        await a.Page.Locator("#chat-title").ClickAsync();
        await a.Page.Locator("#add-member-input").FillAsync($"{bob} {zed}");
        await a.Page.Locator("#add-member-input").PressAsync("Enter");
        await Expect(a.Page.Locator("#info-error")).ToHaveTextAsync($"There is no user named “{zed}”.");
        await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(2);
        await a.Page.Locator("#add-member-input").FillAsync(bob);
        await a.Page.Locator("#add-member-input").PressAsync("Enter");
        await Expect(a.Page.Locator("#info-members li")).ToHaveCountAsync(3);
        await Expect(a.Page.Locator("#info-error")).ToHaveTextAsync("");
        await b.OpenChatAsync("Weekend trip");
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} added you");

        // Renaming from the info: the pencil is the admin's only; everyone sees the new name and a note.
        await a.Page.Locator("#btn-rename").ClickAsync();
        await Expect(a.Page.Locator("#rename-input")).ToHaveValueAsync("Weekend trip");
        await a.Page.Locator("#rename-input").FillAsync("Weekend trip to the lake");
        await a.ShotAsync("32-group-rename");
        await a.Page.Locator("#rename-input").PressAsync("Enter");
        await Expect(a.Page.Locator("#info-name")).ToHaveTextAsync("Weekend trip to the lake");
        await Expect(a.Page.Locator("#form-rename")).ToBeHiddenAsync();
        await Expect(b.Page.Locator("#chat-name")).ToHaveTextAsync("Weekend trip to the lake");
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} changed the group name to \"Weekend trip to the lake\"");
        await Expect(b.ChatItem("Weekend trip to the lake")).ToBeVisibleAsync();
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-name")).ToHaveTextAsync("Weekend trip to the lake");
        await Expect(b.Page.Locator("#btn-rename")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task An_admin_writes_the_group_description_under_its_name_and_members_see_it_live_with_a_note()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, alice) = (pair.Alice, pair.Bob, pair.Alice.User);
        const string text = "Saturday hikes.\nMeet at 8 at the station: https://example.org/map";
        await a.Page.Locator("#btn-new-group").ClickAsync();
        await a.Page.Locator("#new-group-name").FillAsync("Hikers");
        await a.Page.Locator("#new-group-members").FillAsync(b.User);
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await Expect(a.Page.Locator("#chat-name")).ToHaveTextAsync("Hikers");
        await b.OpenChatAsync("Hikers");
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-name")).ToHaveTextAsync("Hikers");
        // A member sees no description block while there is none, and no way to add one.
        await Expect(b.Page.Locator("#info-desc")).ToBeHiddenAsync();

        // The admin adds one from the group's info: a textarea under the name with a counter, then Save.
        await a.Page.Locator("#chat-title").ClickAsync();
        await a.Page.Locator("#btn-describe-add").ClickAsync();
        await Expect(a.Page.Locator("#describe-input")).ToBeFocusedAsync();
        await Expect(a.Page.Locator("#describe-count")).ToHaveTextAsync("0 / 512");
        await a.Page.Locator("#describe-input").FillAsync(text);
        await Expect(a.Page.Locator("#describe-count")).ToHaveTextAsync($"{text.Length} / 512");
        await a.ShotAsync("88-group-description-edit");
        await a.Page.Locator("#btn-describe-save").ClickAsync();
        await Expect(a.Page.Locator("#form-describe")).ToBeHiddenAsync();
        await Expect(a.Page.Locator("#info-desc-text")).ToHaveTextAsync(text);
        await Expect(a.Page.Locator("#info-desc-text a")).ToHaveAttributeAsync("href", "https://example.org/map");
        await Expect(a.Page.Locator("#btn-describe")).ToBeVisibleAsync();
        await Expect(a.Page.Locator("#messages .note").Last).ToHaveTextAsync("You changed the group description");
        await a.ShotAsync("91-group-description-admin");

        // The member, whose info is open, sees it change live under the name, without a pencil; the timeline has a note.
        await Expect(b.Page.Locator("#info-desc-text")).ToHaveTextAsync(text);
        await Expect(b.Page.Locator("#btn-describe")).ToBeHiddenAsync();
        await Expect(b.Page.Locator("#btn-describe-add")).ToBeHiddenAsync();
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} changed the group description");
        await b.ShotAsync("89-group-description-member");

        // Cancel changes nothing; Escape cancels too.
        await a.Page.Locator("#btn-describe").ClickAsync();
        await Expect(a.Page.Locator("#describe-input")).ToHaveValueAsync(text);
        await a.Page.Locator("#describe-input").FillAsync("Not this");
        await a.Page.Locator("#btn-describe-cancel").ClickAsync();
        await Expect(a.Page.Locator("#info-desc-text")).ToHaveTextAsync(text);
        await a.Page.Locator("#btn-describe").ClickAsync();
        await a.Page.Locator("#describe-input").PressAsync("Escape");
        await Expect(a.Page.Locator("#form-describe")).ToBeHiddenAsync();
        await Expect(a.Page.Locator("#dlg-info")).ToBeVisibleAsync();

        // On a 390 px phone (alice's second device) the block and its editor fit the drawer.
        await using var phone = await ChatPage.OpenAsync(fixture.Browser, fixture.Server.BaseUri, alice, output, ChatPage.Phone);
        await phone.LogInAsync();
        await phone.OpenChatAsync("Hikers");
        await phone.Page.Locator("#chat-title").ClickAsync();
        await Expect(phone.Page.Locator("#info-desc-text")).ToHaveTextAsync(text);
        await phone.Page.Locator("#btn-describe").ClickAsync();
        await Expect(phone.Page.Locator("#describe-count")).ToHaveTextAsync($"{text.Length} / 512");
        var box = await phone.Page.Locator("#form-describe").BoundingBoxAsync();
        Assert.True(box is { X: >= 0 } && box.X + box.Width <= 390, $"the editor is off the screen: {box?.X} + {box?.Width}");
        await phone.ShotAsync("90-group-description-phone");
        await phone.Page.Locator("#btn-describe-cancel").ClickAsync();

        // Cleared: the member's block goes, and a note says so; after a reload the chat reads the same.
        await a.Page.Locator("#btn-describe").ClickAsync();
        await a.Page.Locator("#describe-input").FillAsync("");
        await a.Page.Locator("#btn-describe-save").ClickAsync();
        await Expect(a.Page.Locator("#btn-describe-add")).ToBeVisibleAsync();
        await Expect(b.Page.Locator("#info-desc")).ToBeHiddenAsync();
        await Expect(b.Page.Locator("#messages .note").Last).ToHaveTextAsync($"{alice} removed the group description");
        await a.Page.Locator("#btn-describe-add").ClickAsync();
        await a.Page.Locator("#describe-input").FillAsync("Back again");
        await a.Page.Locator("#btn-describe-save").ClickAsync();
        await Expect(b.Page.Locator("#info-desc-text")).ToHaveTextAsync("Back again");

        await b.Page.ReloadAsync();
        await b.ExpectOnlineAsync();
        await b.OpenChatAsync("Hikers");
        await Expect(b.Page.Locator("#messages .note")).ToHaveTextAsync(
            [$"{alice} created group \"Hikers\"", $"{alice} changed the group description", $"{alice} removed the group description",
             $"{alice} changed the group description"]);
        await b.Page.Locator("#chat-title").ClickAsync();
        await Expect(b.Page.Locator("#info-desc-text")).ToHaveTextAsync("Back again");
    }

    [Fact]
    public async Task A_group_left_after_reading_it_has_no_unread_badge_after_logging_in_again()
    {
        await using var pair = await Pair.StartAsync(fixture.Browser, fixture.Server, output);
        var (a, b, bob) = (pair.Alice, pair.Bob, pair.Bob.User);
        await a.Page.Locator("#btn-new-group").ClickAsync();
        await a.Page.Locator("#new-group-name").FillAsync("Short-lived");
        await a.Page.Locator("#new-group-members").FillAsync(bob);
        await a.Page.Locator("#new-group-members").PressAsync("Enter");
        await a.SendAsync("First in the group");
        await a.SendAsync("Second in the group");
        await b.OpenChatAsync("Short-lived");
        await Expect(b.Bubbles).ToHaveCountAsync(2);
        await Expect(a.Tick("Second in the group")).ToHaveAttributeAsync("data-status", "read");
        await b.Page.Locator("#chat-title").ClickAsync();
        await b.Page.Locator("#btn-leave").ClickAsync();
        await b.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(b.Page.Locator("#left-note")).ToBeVisibleAsync();

        await b.Page.Locator("#btn-logout").ClickAsync();
        await Expect(b.Page.Locator("#auth")).ToBeVisibleAsync();
        await b.LogInAsync();
        // Whatever the list shows of the group, nothing in it is unread: bob read both messages before leaving.
        await Expect(b.Page.Locator(".chat-item .badge:not([hidden])")).ToHaveCountAsync(0);
        await Expect(b.Page).ToHaveTitleAsync("Parley");
        await b.ShotAsync("49-after-login-left-group");
    }
}
