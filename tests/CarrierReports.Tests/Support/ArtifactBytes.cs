using CarrierReports.Rendering;

namespace CarrierReports.Tests.Support;

/// <summary>Reads an artifact whole, for comparing small test files byte for byte.</summary>
internal static class ArtifactBytes
{
    public static byte[] Bytes(this Artifact artifact)
    {
        using var stream = artifact.OpenRead();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
