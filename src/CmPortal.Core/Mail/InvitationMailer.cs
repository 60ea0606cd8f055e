using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CmPortal.Core.Localization;
using CmPortal.Core.Workspaces;
using Microsoft.Extensions.Localization;
using MimeKit;

namespace CmPortal.Core.Mail;

/// <summary>An invitation to e-mail: who is invited where, with which role, by whom, and the link that expires.</summary>
public sealed record InvitationLetter(Workspace Workspace, string Email, string? DisplayName, string RoleName, string InvitedBy, string Link, DateTime ExpiresUtc);

/// <summary>
/// E-mails an invitation link, in the workspace's language (the invited person has no preferences yet).
/// The link stays on the members page as well: the e-mail is a convenience, never the only way in.
/// </summary>
public sealed class InvitationMailer(MailSender sender, IStringLocalizer<InvitationMailer> T)
{
    public bool IsConfigured => sender.IsConfigured;

    public Task<MailOutcome> SendAsync(InvitationLetter letter, CancellationToken ct = default) =>
        sender.IsConfigured ? sender.SendAsync(Compose(letter), ct) : Task.FromResult(MailOutcome.NotConfigured);

    internal MimeMessage Compose(InvitationLetter letter)
    {
        var previous = CultureInfo.CurrentUICulture;
        var previousFormat = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(letter.Workspace.Culture);
            var workspace = letter.Workspace.Name;
            var role = T.Role(letter.RoleName);
            var local = letter.Workspace.LocalTime(letter.ExpiresUtc);
            var expires = T["{0} at {1}", local.ToString("d MMMM yyyy"), local.ToString("HH:mm")].Value;
            var greeting = letter.DisplayName is { } name ? T["Hello {0},", name].Value : T["Hello,"].Value;
            var invited = T["{0} invites you to join the workspace \"{1}\" on CmPortal, with the role \"{2}\".", letter.InvitedBy, workspace, role].Value;
            var choose = T["Open this link to choose your password and sign in:"].Value;
            var validity = T["The link works once, until {0}. If you did not expect this invitation, ignore this e-mail.", expires].Value;

            var message = new MimeMessage { Subject = T["Invitation to join \"{0}\" on CmPortal", workspace].Value };
            message.To.Add(new MailboxAddress(letter.DisplayName ?? "", letter.Email));
            var body = new BodyBuilder
            {
                TextBody = $"{greeting}\n\n{invited}\n\n{choose}\n{letter.Link}\n\n{validity}\n",
                HtmlBody = $"""
                    <p>{Html(greeting)}</p>
                    <p>{Html(invited)}</p>
                    <p>{Html(choose)}<br><a href="{Html(letter.Link)}">{Html(letter.Link)}</a></p>
                    <p>{Html(validity)}</p>
                    """,
            };
            message.Body = body.ToMessageBody();
            return message;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
            CultureInfo.CurrentCulture = previousFormat;
        }
    }

    // Accented letters stay readable in the HTML part; markup characters are escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Html(string text) => Encoder.Encode(text);
}
