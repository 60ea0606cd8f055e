using System.Security.Cryptography;
using System.Text;

namespace CmPortal.Modules.ContentCalendar.Secrets;

/// <summary>
/// The secrets of addresses that open something without an account (preview links, members' calendar feeds): 32 random
/// bytes, URL-safe, and only their SHA-256 is stored, so the database alone opens nothing.
/// </summary>
internal static class SecretTokens
{
    /// <summary>A new secret: 43 characters of base64url, no padding.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored of a secret and looked up by: its SHA-256, 64 lowercase hex digits.</summary>
    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A length no secret of ours has is not looked up at all (a guess, a truncated copy).</summary>
    public static bool HasPlausibleLength(string token) => token.Length is >= 20 and <= 100;
}
