using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CmPortal.Core.Mail;

/// <summary>What became of an e-mail.</summary>
public enum MailOutcome { Sent, NotConfigured, Failed }

/// <summary>Sends e-mails through the configured SMTP server (<see cref="MailSettings"/>), one connection per message.</summary>
public sealed class MailSender(ILogger<MailSender> logger, MailSettings? settings = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public bool IsConfigured => settings is not null;

    /// <summary>Sends the message from the configured sender. A failure is logged (without the message or any secret) and answered, never thrown.</summary>
    public async Task<MailOutcome> SendAsync(MimeMessage message, CancellationToken ct = default)
    {
        if (settings is null) return MailOutcome.NotConfigured;
        message.From.Clear();
        message.From.Add(settings.From);
        try
        {
            using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security, ct);
            if (settings.UserName is { } user) await client.AuthenticateAsync(user, settings.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
            return MailOutcome.Sent;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not send an e-mail through {Server}: {Error}", settings.ToString(), e.Message);
            return MailOutcome.Failed;
        }
    }
}
