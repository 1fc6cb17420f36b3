using System.Text;
using CarrierReports.Archive;
using CarrierReports.Rendering;
using CarrierReports.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarrierReports.Tests.Archive;

/// <summary>A throw-away archive root (inside its own parent folder, so escapes would be visible) and a fake clock.</summary>
internal sealed class TempArchive : IDisposable
{
    private readonly TempFolder _parent = new("carrierreports-archive-");

    public TempArchive()
    {
        Root = Path.Combine(Parent, "archive");
        Store = new ArchiveStore(Options.Create(new ArchiveOptions { Root = Root }), Clock, NullLogger<ArchiveStore>.Instance);
    }

    public string Parent => _parent.Path;
    public string Root { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero));
    public ArchiveStore Store { get; }

    public static ArchiveRun Run(string carrier = "544", string subscription = "monthly-acme", int year = 2026, int month = 10) => new(
        RunId: "run-" + Guid.NewGuid().ToString("N")[..8],
        Subscription: subscription,
        Carrier: carrier,
        Range: "previous-month",
        TimeZone: "Europe/London",
        UtcFrom: new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero).AddHours(month is >= 4 and <= 10 ? -1 : 0),
        UtcTo: new DateTimeOffset(year, month + 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(month + 1 is >= 4 and <= 10 ? -1 : 0),
        Bucket: "day",
        Formats: ["csv", "pdf"],
        GeneratedAt: new DateTimeOffset(year, month + 1, 1, 6, 0, 0, TimeSpan.Zero));

    public static Artifact[] Files(string tag = "a") =>
    [
        new("csv", "asr-per-route_544.csv", "text/csv", Encoding.UTF8.GetBytes($"route,attempts\r\nFR-Mobile,{tag}\r\n")),
        new("pdf", "asr-per-route_544.pdf", "application/pdf", Encoding.ASCII.GetBytes($"%PDF-1.7 {tag} {new string('x', 5000)}")),
    ];

    /// <summary>Every file anywhere under the parent folder, relative to it.</summary>
    public List<string> AllFiles() => [.. Directory.EnumerateFiles(Parent, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Parent, f))];

    public void Dispose() => _parent.Dispose();
}
