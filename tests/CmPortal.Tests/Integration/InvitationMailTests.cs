using CmPortal.Core.Mail;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>With an SMTP server configured, an invitation link is also e-mailed; the link on the members page always stays.</summary>
public sealed class InvitationMailTests
{
    private const string Workspace = "maison-lumen";

    private static Task<Guid> RoleIdAsync(PortalHost host, string role) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Roles.Where(r => r.Name == role).Select(r => r.Id).FirstAsync());

    [Fact]
    public async Task The_invitation_is_e_mailed_in_the_workspace_language_with_the_link_that_lets_the_person_in()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = await PortalHost.StartAsync(settings: smtp.Settings());
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var (link, page) = await admin.InviteShowingAsync(Workspace, "lea@maison-lumen.test", await RoleIdAsync(host, DefaultRoles.CommunityManager), "Léa");
        Assert.Contains("l’invitation lui a été envoyée par e-mail", page);

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("lea@maison-lumen.test", mail.To.Mailboxes.Single().Address);
        Assert.Equal("cm@maison-lumen.test", mail.From.Mailboxes.Single().Address);
        Assert.Equal("Invitation à rejoindre «\u00a0Maison Lumen\u00a0» sur CmPortal", mail.Subject);
        Assert.StartsWith("Bonjour Léa,", mail.TextBody);
        Assert.Contains("Admin vous invite à rejoindre l’espace «\u00a0Maison Lumen\u00a0» sur CmPortal, avec le rôle «\u00a0Community manager\u00a0».", mail.TextBody);
        Assert.Contains(link, mail.TextBody);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody);
        Assert.Matches(@"Le lien sert une seule fois, jusqu’au \d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}\.", mail.TextBody);

        using var lea = await host.AcceptAsync(link, "Léa Martin", "bougie-soleil-4");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await lea.GetAsync($"/admin/{Workspace}/key-dates")).StatusCode);
    }

    [Fact]
    public async Task A_name_a_stranger_typed_is_encoded_in_the_html_part()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = await PortalHost.StartAsync(settings: smtp.Settings());
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        await admin.InviteAsync(Workspace, "x@maison-lumen.test", await RoleIdAsync(host, DefaultRoles.Analyst), "<b>Zoé</b>");

        var mail = Assert.Single(smtp.Messages);
        Assert.Contains("Bonjour &lt;b&gt;Zoé&lt;/b&gt;,", mail.HtmlBody);
        Assert.DoesNotContain("<b>Zoé", mail.HtmlBody);
    }

    [Fact]
    public async Task When_the_mail_server_refuses_the_admin_is_told_and_still_gets_the_link_and_the_password_is_never_logged()
    {
        await using var smtp = TestSmtpServer.Start();
        var settings = smtp.Settings();
        settings["Smtp:Password"] = "wrong-secret-value";
        await using var host = await PortalHost.StartAsync(settings: settings);
        host.ExpectWarning("Could not send an e-mail");
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var (link, page) = await admin.InviteShowingAsync(Workspace, "paul@maison-lumen.test", await RoleIdAsync(host, DefaultRoles.Analyst));

        Assert.Empty(smtp.Messages);
        Assert.Contains("L’e-mail d’invitation à paul@maison-lumen.test n’a pas pu être envoyé", page);
        using var paul = await host.AcceptAsync(link, "Paul", "paul-choisit-7");
        var logged = string.Join("\n", host.Logs.Entries.Select(e => e.Message));
        Assert.Contains("Could not send an e-mail through 127.0.0.1", logged);
        Assert.DoesNotContain("wrong-secret-value", logged);
    }

    [Theory]
    [InlineData("Smtp:From", "cm-at-lumen", "Smtp:From is \"cm-at-lumen\": it must be the sender's address")]
    [InlineData("Smtp:Port", "smtp", "Smtp:Port is \"smtp\": it must be a port number between 1 and 65535")]
    [InlineData("Smtp:Security", "Tls", "Smtp:Security is \"Tls\": it must be one of Auto, None, StartTls")]
    public void A_wrong_mail_setting_stops_the_start_with_what_to_fix(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["Smtp:Host"] = "smtp.example.fr", ["Smtp:From"] = "cm@example.fr", [key] = value };
        var error = Assert.Throws<InvalidOperationException>(() => MailSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Without_a_mail_host_nothing_is_sent_and_the_settings_never_print_the_password()
    {
        Assert.Null(MailSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:From"] = "x" }).Build()));
        var settings = MailSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            { ["Smtp:Host"] = "smtp.example.fr", ["Smtp:From"] = "cm@example.fr", ["Smtp:UserName"] = "cm", ["Smtp:Password"] = "s3cret" }).Build())!;
        Assert.DoesNotContain("s3cret", settings.ToString());
        Assert.DoesNotContain("s3cret", $"{settings}");
    }
}
