using System.Net;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>Messages ASP.NET Core writes itself (required fields, values that do not bind, Identity's password rules) speak French on French pages.</summary>
public sealed class FrameworkMessageTests
{
    /// <summary>What the framework says in English when nobody translated it.</summary>
    private static readonly string[] EnglishFragments =
        ["field is required", "is not valid", "is invalid", "Passwords must", "e-mail address.", "must be a number", "do not match", "Incorrect password"];

    private static void AssertFrench(string page, params string[] expected)
    {
        // What a person reads: the text, not the attributes (no client-side validation script shows data-val-* messages).
        var text = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(page, "<[^>]*>", " "));
        foreach (var english in EnglishFragments) Assert.DoesNotContain(english, text);
        foreach (var french in expected) Assert.Contains(french, text);
    }

    [Fact]
    public async Task Required_fields_unbindable_values_and_refused_passwords_are_explained_in_french()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var members = await admin.PostFormAsync("/admin/maison-lumen/members", new() { ["Email"] = "", ["RoleId"] = "pas-un-role" }, "/admin/maison-lumen/members");
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        AssertFrench(await members.Content.ReadAsStringAsync(), "Remplissez ce champ.", "«\u00a0pas-un-role\u00a0» n’est pas une valeur valable ici.");

        var user = await admin.PostFormAsync("/admin/users/new", new() { ["Email"] = "pas-une-adresse", ["DisplayName"] = "", ["Password"] = "court" }, "/admin/users/new");
        AssertFrench(await user.Content.ReadAsStringAsync(), "Ce n’est pas une adresse e-mail", "Remplissez ce champ.");
        var weak = await admin.PostFormAsync("/admin/users/new", new() { ["Email"] = "lea@maison-lumen.test", ["DisplayName"] = "Léa", ["Password"] = "court" }, "/admin/users/new");
        AssertFrench(await weak.Content.ReadAsStringAsync(), "Le mot de passe doit compter au moins 10 caractères.");

        var password = await admin.PostFormAsync("/account/password",
            new() { ["CurrentPassword"] = "mauvais-mot-1", ["NewPassword"] = "nouveau-mot-2", ["ConfirmPassword"] = "autre-mot-3" }, "/account/password");
        AssertFrench(await password.Content.ReadAsStringAsync(), "Les deux saisies diffèrent");
        var wrong = await admin.PostFormAsync("/account/password",
            new() { ["CurrentPassword"] = "mauvais-mot-1", ["NewPassword"] = "nouveau-mot-2", ["ConfirmPassword"] = "nouveau-mot-2" }, "/account/password");
        AssertFrench(await wrong.Content.ReadAsStringAsync(), "Le mot de passe actuel est incorrect.");
    }
}
