using System.Security.Cryptography;

namespace CarrierReports.Rendering;

/// <summary>One rendered document, held in memory so the same bytes are hashed, archived and mailed.</summary>
public sealed record Artifact(string Format, string FileName, string ContentType, byte[] Content)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));
}
