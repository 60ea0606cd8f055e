using System.Text.RegularExpressions;
using NodaTime;

namespace CmPortal.Core.Workspaces;

/// <summary>What makes a workspace key, culture, time zone and host name valid; one place for forms, recipes and CLI.</summary>
public static partial class WorkspaceRules
{
    /// <summary>First URL segments the portal itself uses; a workspace key cannot take them.</summary>
    public static readonly IReadOnlySet<string> ReservedKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "admin", "account", "setup", "health", "api", "lib", "css", "js", "img", "_content",
        "_framework", "favicon.ico", "robots.txt", "static", "workspaces", "users", "recipes", "error",
    };

    public static readonly IReadOnlyList<string> SupportedCultures = ["fr-FR", "en-US"];

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostPattern();

    /// <summary>Null when valid, else what is wrong and how to fix it.</summary>
    public static string? CheckKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return "The key is empty. Give a short URL-safe key such as \"maison-lumen\".";
        if (!KeyPattern().IsMatch(key))
            return $"\"{key}\" is not a valid key. Use 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit.";
        if (ReservedKeys.Contains(key)) return $"\"{key}\" is reserved by the portal. Choose another key.";
        return null;
    }

    public static string? CheckName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "The name is empty. Give the brand's display name." :
        name.Length > 100 ? "The name is longer than 100 characters. Shorten it." :
        NotOneLine("The name", name);

    /// <summary>A role's name: 1 to 64 characters of one-line visible text.</summary>
    public static string? CheckRoleName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 64 ? "A role name must have 1 to 64 characters." : NotOneLine("The role name", name);

    /// <summary>Null when <paramref name="text"/> is one line of visible text (see <see cref="TextRules"/>), else what to remove.</summary>
    private static string? NotOneLine(string what, string text) =>
        TextRules.IndexOfUnsafe(text, singleLine: true) is var i and >= 0
            ? $"{what} contains {TextRules.Describe(text[i])} at position {i + 1}. Write it on one line with visible characters only: remove line breaks, tabs, control characters and direction marks."
            : null;

    public static string? CheckCulture(string? culture) =>
        culture is not null && SupportedCultures.Contains(culture) ? null
            : $"\"{culture}\" is not a supported culture. Use one of: {string.Join(", ", SupportedCultures)}.";

    public static string? CheckTimeZone(string? zone) =>
        zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not null ? null
            : $"\"{zone}\" is not an IANA time zone. Use a name such as \"Europe/Paris\".";

    public static string? CheckHostName(string? host) =>
        host is not null && HostPattern().IsMatch(host) ? null
            : $"\"{host}\" is not a valid host name. Use a lowercase name such as \"www.example.fr\", without scheme or port.";
}
