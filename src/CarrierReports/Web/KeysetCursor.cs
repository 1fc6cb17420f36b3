using System.Text;

namespace CarrierReports.Web;

/// <summary>Opaque keyset cursors: the last key of a page, base64url-encoded so clients do not build them.</summary>
public static class KeysetCursor
{
    public static string Encode(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="InputException">The text is not a cursor this API made.</exception>
    public static string Decode(string cursor, string field)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=')));
        }
        catch (FormatException)
        {
            throw new InputException(field, $"'{cursor}' is not a cursor; pass the 'next' of the previous page");
        }
    }
}
