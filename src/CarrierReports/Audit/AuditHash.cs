using CarrierReports.Access;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CarrierReports.Audit;

/// <summary>
/// The hash of an audit row: SHA-256 over a version tag, then every field in a fixed order, each as a 4-byte
/// big-endian length (-1 for null) and its UTF-8 bytes, then the previous row's hash. Length prefixes make the encoding
/// unambiguous (no field can swallow its neighbour), and including the id and the previous hash means a row cannot be
/// edited, removed, inserted or moved without breaking the chain from there on.
/// </summary>
public static class AuditHash
{
    /// <summary>The previous hash of the first row.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly byte[] Version = "cr-audit-v1"u8.ToArray();

    /// <summary>Instants are hashed at microsecond precision, which PostgreSQL keeps exactly.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % 10), TimeSpan.Zero);
    }

    public static string Compute(AuditEntry e)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Version);
        Field(hash, e.Id.ToString(CultureInfo.InvariantCulture));
        Field(hash, Truncate(e.Time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Field(hash, e.Actor);
        Field(hash, e.AuthMethod);
        Field(hash, e.AuthId);
        Field(hash, e.Role);
        Field(hash, e.Action);
        Field(hash, e.Target);
        Field(hash, e.Before);
        Field(hash, e.After);
        Field(hash, e.ClientAddress);
        Field(hash, e.Outcome);
        Field(hash, e.PrevHash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Field(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
