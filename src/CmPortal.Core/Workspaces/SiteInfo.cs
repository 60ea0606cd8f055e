using System.Net.Mail;
using System.Text.RegularExpressions;
using CmPortal.Core.Validation;

namespace CmPortal.Core.Workspaces;

/// <summary>
/// What the public site's legal notice (mentions légales) and contact block show: who publishes the site, who
/// is its director of publication, who hosts it, and where to write. Every field is optional, one line of text.
/// </summary>
public sealed partial record SiteInfo(
    string? PublisherName = null, string? PublisherAddress = null, string? PublisherRegistration = null, string? PublicationDirector = null,
    string? HostingName = null, string? HostingAddress = null, string? HostingPhone = null, string? ContactEmail = null)
{
    public const int NameLength = 150;
    public const int AddressLength = 300;
    public const int PersonLength = 100;
    public const int PhoneLength = 40;
    public const int EmailLength = 254;

    public static readonly SiteInfo Empty = new();

    /// <summary>The legal notice's address under the site, in the workspace's language: "mentions-legales" or "legal" (both answer).</summary>
    public static string LegalNoticePath(Workspace workspace) =>
        workspace.Culture.StartsWith("fr", StringComparison.Ordinal) ? "mentions-legales" : "legal";

    /// <summary>Fields trimmed, blanks as null.</summary>
    public SiteInfo Normalized() => new(N(PublisherName), N(PublisherAddress), N(PublisherRegistration), N(PublicationDirector),
        N(HostingName), N(HostingAddress), N(HostingPhone), N(ContactEmail));

    /// <summary>Whether the legal notice says who publishes, directs and hosts the site (what French law asks of a website).</summary>
    public bool IsComplete => !string.IsNullOrWhiteSpace(PublisherName) && !string.IsNullOrWhiteSpace(PublicationDirector) &&
                              !string.IsNullOrWhiteSpace(HostingName) && !string.IsNullOrWhiteSpace(HostingAddress);

    /// <summary>The fields as (recipe field name, value, maximum length), in the order of the notice.</summary>
    public IEnumerable<(string Field, string? Value, int MaxLength)> Fields()
    {
        yield return ("publisherName", PublisherName, NameLength);
        yield return ("publisherAddress", PublisherAddress, AddressLength);
        yield return ("publisherRegistration", PublisherRegistration, NameLength);
        yield return ("publicationDirector", PublicationDirector, PersonLength);
        yield return ("hostingName", HostingName, NameLength);
        yield return ("hostingAddress", HostingAddress, AddressLength);
        yield return ("hostingPhone", HostingPhone, PhoneLength);
        yield return ("contactEmail", ContactEmail, EmailLength);
    }

    [GeneratedRegex(@"^\+?[0-9 .()\-]{4,40}$")]
    private static partial Regex PhonePattern();

    /// <summary>Every problem of the notice, field named as in <see cref="Fields"/>; empty when it can be saved.</summary>
    public List<Problem> Check()
    {
        var problems = new List<Problem>();
        foreach (var (field, value, max) in Fields())
        {
            if (value is null) continue;
            if (value.Length > max)
                problems.Add(new Problem(field, "{0} characters, {1} at most. Shorten it.", value.Length, max));
            else if (!TextRules.IsSafeSingleLine(value))
                problems.Add(new Problem(field, "One line of visible text, please: remove line breaks, tabs, control characters and direction marks."));
            else if (field == "hostingPhone" && !PhonePattern().IsMatch(value))
                problems.Add(new Problem(field, "\"{0}\" is not a phone number. Write digits, spaces, dots or hyphens, e.g. +33 1 23 45 67 89.", value));
            else if (field == "contactEmail" && !IsEmail(value))
                problems.Add(new Problem(field, "\"{0}\" is not an e-mail address. Write it as name@example.fr.", value));
        }
        return problems;
    }

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address) && address.Address == email && email.IndexOf('@') is > 0 && email.LastIndexOf('.') > email.IndexOf('@');

    private static string? N(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
