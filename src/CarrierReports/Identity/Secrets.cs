using System.Security.Cryptography;

namespace CarrierReports.Identity;

/// <summary>Random strings for one-time passwords, security stamps and key secrets.</summary>
internal static class Secrets
{
    // No look-alike characters (0/O, 1/l/I), so a one-time password read aloud or copied by hand survives.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>24 characters from a 57-letter alphabet: about 140 bits.</summary>
    public static string OneTimePassword() => RandomNumberGenerator.GetString(PasswordAlphabet, 24);

    public static string Stamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string KeyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>32 random bytes in hex, so the secret never contains the key's '_' separator.</summary>
    public static string KeySecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static byte[] Sha256(string text) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
}
