using System.Text.RegularExpressions;
using CmPortal.Core.Validation;
using NodaTime;

namespace CmPortal.Core.Workspaces;

/// <summary>What makes a workspace key, culture, time zone and host name valid; one place for forms, recipes and CLI.</summary>
public static partial class WorkspaceRules
{
    /// <summary>First URL segments the portal itself uses; a workspace key cannot take them.</summary>
    public static readonly IReadOnlySet<string> ReservedKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "admin", "account", "setup", "health", "api", "openapi", "lib", "css", "js", "img", "_content",
        "_framework", "favicon.ico", "robots.txt", "static", "workspaces", "users", "recipes", "error", "notifications", "preview", "feeds",
    };

    public static readonly IReadOnlyList<string> SupportedCultures = ["fr-FR", "en-US"];

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostPattern();

    /// <summary>Null when valid, else what is wrong and how to fix it (field "key").</summary>
    public static Problem? CheckKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return new Problem("key", "The key is empty. Give a short URL-safe key such as \"maison-lumen\".");
        if (!KeyPattern().IsMatch(key))
            return new Problem("key", "\"{0}\" is not a valid key. Use 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit.", key);
        if (ReservedKeys.Contains(key)) return new Problem("key", "\"{0}\" is reserved by the portal. Choose another key.", key);
        return null;
    }

    public static Problem? CheckName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? new Problem("name", "The name is empty. Give the brand's display name.") :
        name.Length > 100 ? new Problem("name", "The name is longer than {0} characters. Shorten it.", 100) :
        TextRules.IndexOfUnsafe(name, singleLine: true) is var i and >= 0
            ? new Problem("name", "The name contains {0} at position {1}. Write it on one line with visible characters only: remove line breaks, tabs, control characters and direction marks.", ProblemValue.Character(name[i]), i + 1)
            : null;

    /// <summary>A role's name: 1 to 64 characters of one-line visible text.</summary>
    public static Problem? CheckRoleName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 64 ? new Problem("name", "A role name must have 1 to {0} characters.", 64)
        : TextRules.IndexOfUnsafe(name, singleLine: true) is var i and >= 0
            ? new Problem("name", "The role name contains {0} at position {1}. Write it on one line with visible characters only: remove line breaks, tabs, control characters and direction marks.", ProblemValue.Character(name[i]), i + 1)
            : null;

    public static Problem? CheckCulture(string? culture) =>
        culture is not null && SupportedCultures.Contains(culture) ? null
            : new Problem("culture", "\"{0}\" is not a supported culture. Use one of: {1}.", culture, ProblemValue.List(SupportedCultures));

    public static Problem? CheckTimeZone(string? zone) =>
        zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null ? null
            : new Problem("timeZone", "\"{0}\" is not an IANA time zone. Use a name such as \"Europe/Paris\".", zone);

    public static Problem? CheckHostName(string? host) =>
        host is not null && HostPattern().IsMatch(host) ? null
            : new Problem("hosts", "\"{0}\" is not a valid host name. Use a lowercase name such as \"www.example.fr\", without scheme or port.", host);
}
