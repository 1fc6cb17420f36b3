using System.ComponentModel.DataAnnotations;

namespace CarrierReports.Archive;

/// <summary>Where delivered reports are kept, bound from the <c>Archive</c> section.</summary>
public sealed class ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>Root folder of the archive. Default <c>out/archive</c>.</summary>
    [Required(ErrorMessage = "is empty")]
    public string Root { get; set; } = "out/archive";
}
