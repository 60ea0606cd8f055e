using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace CmPortal.Core.Mail;

/// <summary>
/// The SMTP server the portal sends its e-mails through (section <c>Smtp</c>). Without <c>Smtp:Host</c> the portal
/// sends nothing and shows invitation links to copy instead. The password comes from the environment or a secret
/// store (<c>Smtp__Password</c>), never from a file in the repository, and is never logged.
/// </summary>
public sealed record MailSettings(string Host, int Port, SecureSocketOptions Security, string? UserName, string? Password, MailboxAddress From)
{
    public const string Section = "Smtp";

    /// <summary>The settings, or null when no host is configured. A wrong value stops the start with what to fix.</summary>
    public static MailSettings? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var host = section["Host"]?.Trim();
        if (string.IsNullOrEmpty(host)) return null;

        var port = 587;
        if (section["Port"] is { Length: > 0 } portText && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
            throw new InvalidOperationException($"Smtp:Port is \"{portText}\": it must be a port number between 1 and 65535, e.g. 587 (STARTTLS) or 465 (TLS).");

        var security = SecureSocketOptions.Auto;
        if (section["Security"] is { Length: > 0 } securityText && !Enum.TryParse(securityText, ignoreCase: true, out security))
            throw new InvalidOperationException($"Smtp:Security is \"{securityText}\": it must be one of Auto, None, StartTls, SslOnConnect or StartTlsWhenAvailable.");

        var fromText = section["From"];
        if (string.IsNullOrWhiteSpace(fromText) || !MailboxAddress.TryParse(fromText, out var from) || !from.Address.Contains('@'))
            throw new InvalidOperationException($"Smtp:From is \"{fromText}\": it must be the sender's address, e.g. \"CmPortal <cm@example.fr>\".");

        var user = section["UserName"];
        return new MailSettings(host, port, security, string.IsNullOrEmpty(user) ? null : user, section["Password"], from);
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{Host}:{Port} ({Security}), from {From}";
}
