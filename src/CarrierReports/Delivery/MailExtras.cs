namespace CarrierReports.Delivery;

/// <summary>Facts about the delivery that only the mailer knows, shown in the mail body.</summary>
public sealed record MailExtras
{
    public static readonly MailExtras None = new();

    /// <summary>True when the files were too large to attach and the mail lists <see cref="ArchiveReferences"/> instead. Default false.</summary>
    public bool AttachmentsOmitted { get; init; }

    /// <summary>Where each archived file can be fetched (path or URL). Default empty.</summary>
    public IReadOnlyList<ArchiveReference> ArchiveReferences { get; init; } = [];
}

/// <summary>One archived file: its name and where to find it.</summary>
public sealed record ArchiveReference(string Name, string Location);
