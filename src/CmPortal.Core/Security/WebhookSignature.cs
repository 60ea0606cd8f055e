using System.Security.Cryptography;
using System.Text;

namespace CmPortal.Core.Security;

/// <summary>
/// Standard Webhooks signatures: <c>webhook-signature: v1,{base64 HMAC-SHA256 of "id.timestamp.body"}</c>, the key
/// being the bytes of the secret <c>whsec_{base64}</c>. One place for both sides: Publishing signs what it sends
/// (docs/publishing.md), the inbox checks what Zapier or n8n send to its ingest hooks (docs/inbox-import.md).
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key bytes of a secret, or null when it is not <c>whsec_</c> followed by base64 of at least 16 bytes.</summary>
    public static byte[]? KeyOf(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        try
        {
            var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return key.Length >= 16 ? key : null;
        }
        catch (FormatException) { return null; }
    }

    public static string Sign(byte[] key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    /// <summary>
    /// Whether one of the space-separated signatures of a <c>webhook-signature</c> header (a sender rotating its secret
    /// sends two) is the <c>v1</c> signature of this message. Compared in constant time.
    /// </summary>
    public static bool Verify(byte[] key, string id, long timestamp, string body, string? header)
    {
        if (string.IsNullOrEmpty(header)) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(key, id, timestamp, body));
        var matched = false;
        foreach (var candidate in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate));
        return matched;
    }
}
