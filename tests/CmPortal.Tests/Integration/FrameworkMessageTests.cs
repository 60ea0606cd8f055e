using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using CmPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Messages ASP.NET Core writes itself (required fields, values that do not bind, Identity's password rules) speak French on French pages.</summary>
public sealed class FrameworkMessageTests
{
    /// <summary>What the framework says in English when nobody translated it.</summary>
    private static readonly string[] EnglishFragments =
        ["field is required", "is not valid", "is invalid", "Passwords must", "e-mail address.", "must be a number", "do not match", "Incorrect password",
         "The value '", "The field ", "is not a valid"];

    /// <summary>Words of an English sentence that a French message never holds: an untranslated rule message shows them.</summary>
    private static readonly Regex EnglishWords = new(@"\b(the|is|are|must|cannot|should|please|field|choose|give|already)\b", RegexOptions.IgnoreCase);

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
        await using var host = await PortalHost.StartSetUpAsync();
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

    /// <summary>
    /// Every admin form, posted with its fields empty and then with a value that binds to nothing (a word where a date,
    /// a number, a guid or a box is expected): what the page shows back — its field messages, its error alert, or the
    /// alert of the page it sends to — is French. The forms are read from the running host's MVC actions, so a new
    /// form is covered without anyone listing it.
    /// </summary>
    [Fact]
    public async Task No_admin_form_answers_a_french_page_with_an_english_message_whatever_is_posted()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var source = await RouteValueSource.ForWorkspaceAsync(host, "maison-lumen");
        var adminId = await host.InScopeAsync(async s =>
            (await s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CmPortal.Core.Security.PortalUser>>().FindByEmailAsync(PortalHost.AdminEmail))!.Id.ToString());
        var forms = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is not null)
            .GroupBy(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .ToDictionary(g => g.Key, g => g.SelectMany(e => FieldNames(e.Metadata.GetMetadata<ControllerActionDescriptor>()!, e)).Distinct().ToList());

        var routes = PortalRoutes.All(host).Where(r => r.Method == "POST" && r.IsAdmin && forms.GetValueOrDefault(r.Template) is { Count: > 0 }).ToList();
        Assert.True(routes.Count >= 10, $"Only {routes.Count} admin forms with fields found.");
        var english = new List<string>();
        var answered = 0;
        foreach (var route in routes)
        foreach (var filled in source.Fill(route).Where(f => !f.Values.Contains(adminId)).Take(1)) // the admin's own password stays as it is
        foreach (var value in new[] { "", "pas-une-valeur" })
        {
            var response = await admin.SendFormAsync("POST", filled.Path, forms[route.Template].ToDictionary(name => name, _ => value));
            var page = response.StatusCode switch
            {
                HttpStatusCode.OK => await response.Content.ReadAsStringAsync(),
                HttpStatusCode.Redirect when response.Headers.Location is { IsAbsoluteUri: false } to && to.OriginalString.StartsWith("/admin", StringComparison.Ordinal)
                    => await (await admin.GetAsync(to.OriginalString)).Content.ReadAsStringAsync(),
                _ => null,
            };
            if (page is null || !page.Contains("<html lang=\"fr\"", StringComparison.Ordinal)) continue;
            answered++;
            foreach (var message in ShownMessages(page).Where(m => EnglishFragments.Any(m.Contains) || EnglishWords.IsMatch(m)))
                english.Add($"POST {filled.Path} with \"{value}\" shows: {message}");
        }
        Assert.True(answered >= 20, $"Only {answered} French pages came back from the admin forms.");
        Assert.True(english.Count == 0, "English on French pages:\n  " + string.Join("\n  ", english.Distinct()));
    }

    /// <summary>A window title is translated with its values in place: never "Version {0}" nor a template left unfilled.</summary>
    [Fact]
    public async Task No_admin_page_title_shows_a_placeholder()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var source = await RouteValueSource.ForWorkspaceAsync(host, "maison-lumen");
        var titles = new List<string>();
        foreach (var route in PortalRoutes.All(host).Where(r => r.Method == "GET" && r.IsAdmin && !r.AnyMethod))
        foreach (var filled in source.Fill(route).Take(2))
        {
            var response = await admin.GetAsync(filled.Path);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            var title = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).Title ?? "";
            titles.Add($"{filled.Path}: {title}");
        }
        Assert.True(titles.Count >= 20, $"Only {titles.Count} admin pages answered.");
        var withPlaceholder = titles.Where(t => Regex.IsMatch(t, @"\{\d+(?:[,:][^}]*)?\}")).ToList();
        Assert.True(withPlaceholder.Count == 0, "Titles with a placeholder:\n" + string.Join("\n", withPlaceholder));
    }

    /// <summary>The error messages a page shows: under fields, in its validation summary and in its alerts.</summary>
    private static IEnumerable<string> ShownMessages(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll(".text-danger, .alert-danger, .invalid-feedback, .validation-summary-errors li, [data-valmsg-for]")
            .Select(e => Regex.Replace(e.TextContent, @"\s+", " ").Trim()).Where(t => t.Length > 0).Distinct();

    /// <summary>The form fields an action binds: its simple parameters, and the settable properties of its form objects.</summary>
    private static IEnumerable<string> FieldNames(ControllerActionDescriptor action, RouteEndpoint endpoint)
    {
        foreach (var parameter in action.Parameters)
        {
            var source = parameter.BindingInfo?.BindingSource;
            if (source == BindingSource.Path || source == BindingSource.Services || endpoint.RoutePattern.Parameters.Any(r => r.Name == parameter.Name) ||
                parameter.ParameterType == typeof(CancellationToken) || typeof(IFormFile).IsAssignableFrom(parameter.ParameterType)) continue;
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Guid) || type == typeof(DateOnly) || type == typeof(decimal) ||
                typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
            {
                yield return parameter.BindingInfo?.BinderModelName ?? parameter.Name;
                continue;
            }
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic))
                if (!typeof(IFormFile).IsAssignableFrom(property.PropertyType)) yield return property.Name;
        }
    }
}
