using CarrierReports.Settings;

namespace CarrierReports.Delivery;

/// <summary>How mail leaves the service.</summary>
public enum MailTransport
{
    /// <summary>Write each message as an .eml file into <see cref="MailOptions.PickupFolder"/> (the embedded default).</summary>
    Pickup,

    /// <summary>Send through the SMTP server at <see cref="MailOptions.Host"/>.</summary>
    Smtp,
}

/// <summary>Transport security towards the SMTP server.</summary>
public enum MailSecurity
{
    /// <summary>Plain text; only for a relay on the same host or network.</summary>
    None,

    /// <summary>Connect in plain text, then require STARTTLS (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    Tls,
}

/// <summary>
/// Mail settings, bound from the <c>Mail</c> section. <see cref="Username"/> and <see cref="Password"/> belong in
/// environment variables (<c>Mail__Username</c>, <c>Mail__Password</c>) or user secrets, never in a settings file.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary><c>Pickup</c> (default) or <c>Smtp</c>.</summary>
    public MailTransport Transport { get; set; } = MailTransport.Pickup;

    /// <summary>Folder the pickup transport writes <c>&lt;message-id&gt;.eml</c> files to. Default <c>out/mail</c>.</summary>
    public string PickupFolder { get; set; } = "out/mail";

    /// <summary>SMTP server name; required when <see cref="Transport"/> is <c>Smtp</c>.</summary>
    public string? Host { get; set; }

    /// <summary>SMTP port. Default 25.</summary>
    [SettingRange(1, 65_535)]
    public int Port { get; set; } = 25;

    /// <summary><c>None</c> (default), <c>StartTls</c> or <c>Tls</c>.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.None;

    /// <summary>SMTP user; when empty the client does not authenticate.</summary>
    public string? Username { get; set; }

    /// <summary>SMTP password. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Sender address, e.g. <c>"Carrier Reports &lt;reports@example.net&gt;"</c>. Required.</summary>
    public string? From { get; set; }

    /// <summary>Optional Reply-To address.</summary>
    public string? ReplyTo { get; set; }

    /// <summary>
    /// Largest total size of the attachments of one message, in bytes. Above it the files are not attached and the
    /// alternative body (pointing at the archive) is sent instead. Default 10 MB (10,485,760).
    /// </summary>
    [SettingRange(typeof(long), "1", "2147483647")]
    public long MaxAttachmentBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Attempts per recipient, the first included, before a transient failure counts as final. Default 5.</summary>
    [SettingRange(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; each further wait doubles. Default 2 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between two attempts. Default 60 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one SMTP command or connection attempt, in seconds. Default 60.</summary>
    [SettingRange(1, 3_600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>How many SMTP connections may be open at once, idle ones included (concurrent runs queue behind this). Default 2.</summary>
    [SettingRange(1, 64)]
    public int MaxConnections { get; set; } = 2;

    /// <summary>
    /// A connection that ended its batch cleanly is kept open this many seconds for the next batch (of any run), saving
    /// the connect, greeting, TLS and login; 0 closes every connection after its batch. Default 10, well under the
    /// 5 minutes servers wait before dropping an idle client (RFC 5321, 4.5.3.2.7).
    /// </summary>
    [SettingRange(0, 300)]
    public int ConnectionIdleSeconds { get; set; } = 10;

    /// <summary>Messages sent over one connection before it is closed and a new one opened (servers limit this). Default 100.</summary>
    [SettingRange(1, 100_000)]
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>Right-hand side of generated Message-IDs. Default: the domain of <see cref="From"/>.</summary>
    public string? Domain { get; set; }

    /// <summary>Optional address that receives failure alerts.</summary>
    public string? OperationsAddress { get; set; }
}
