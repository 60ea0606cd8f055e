using System.Security.Cryptography;
using System.Text;

namespace CmPortal.Modules.Publishing.Networks.Webhook;

/// <summary>
/// Standard Webhooks signatures: <c>webhook-signature: v1,{base64 HMAC-SHA256 of "id.timestamp.body"}</c>, the key
/// being the bytes of the secret <c>whsec_{base64}</c>. What a receiver checks is in docs/publishing.md.
/// </summary>
internal static class WebhookSignature
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
}
