using System.Security.Cryptography;
using CarrierReports.Delivery;
using CarrierReports.Rendering;
using CarrierReports.Rendering.Csv;
using CarrierReports.Reports;
using CarrierReports.Templating;
using CarrierReports.Tests.Archive;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Rendering.Pdf;
using CarrierReports.Time;
using MimeKit;

namespace CarrierReports.Tests.Rendering;

/// <summary>Runs alone: it measures the process's managed heap, which parallel tests would add to.</summary>
[CollectionDefinition(nameof(ArtifactMemoryTests), DisableParallelization = true)]
public sealed class ArtifactMemoryCollection;

/// <summary>
/// Issue 9, item 5: artifacts are written to temporary files, archived and mailed by stream, so the heap does not
/// grow with the size of a report file (the report's rows themselves are in memory, and bounded by Reports:MaxCells).
/// </summary>
[Collection(nameof(ArtifactMemoryTests))]
public sealed class ArtifactMemoryTests
{
    [Fact]
    public async Task BigHourlyCsv_RenderArchiveAndMail_HeapStaysFarBelowTheFileSize()
    {
        // 1,300 routes hourly for October (745 buckets): about 970,000 cells, within the default Reports:MaxCells.
        var report = SampleReports.Month(BucketSize.Hour, routes: 1_300);
        ReportLimits.Default.Check(report.RouteTotals.Count, report.Buckets.Count);
        var artifacts = new ReportArtifacts([new CsvReportRenderer()], new TemplateRenderer(TimeProvider.System));
        var before = SettledHeap();

        ArtifactSet files;
        long peak;
        using (var sampler = new HeapSampler())
        {
            files = await artifacts.RenderAsync(report, [ReportFormatKind.Csv], new RenderOptions(), CancellationToken.None);
            peak = sampler.Stop();
        }

        await using (files)
        {
            var retained = SettledHeap() - before;
            var csv = files.Single(f => f.Format == "csv");
            Assert.True(csv.Length > 60_000_000, $"the CSV should be big: {csv.Length:N0} bytes");
            Assert.True(retained < csv.Length / 20, $"{retained:N0} bytes still on the heap after rendering a {csv.Length:N0}-byte CSV");
            Assert.True(peak - before < csv.Length / 3, $"the heap grew by up to {peak - before:N0} bytes while rendering a {csv.Length:N0}-byte CSV");
            await using (var stream = csv.OpenRead())
            {
                Assert.Equal(csv.Length, stream.Length);
                Assert.Equal(csv.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
            }

            // Archiving and mailing copy the file by stream: what they allocate is buffers, not the file.
            using var archive = new TempArchive();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var stored = await archive.Store.StoreAsync(TempArchive.Run(), files, CancellationToken.None);
            var storeAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Assert.Equal(csv.Length, new FileInfo(Path.Combine(stored.FullPath, csv.FileName)).Length);
            Assert.True(storeAllocated < csv.Length / 10, $"archive store allocated {storeAllocated:N0} bytes for a {csv.Length:N0}-byte CSV");

            allocated = GC.GetTotalAllocatedBytes(precise: true);
            var sent = await ComposeAndWriteAsync(csv);
            var mailAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Assert.True(sent > csv.Length, "the attachment is in the message");
            Assert.True(mailAllocated < csv.Length / 10, $"composing and writing the mail allocated {mailAllocated:N0} bytes for a {csv.Length:N0}-byte CSV");
        }

        Assert.False(Directory.Exists(files.Folder.Path), "disposing the set deletes its temporary folder");
    }

    [Fact]
    public async Task FileBackedCsv_IsByteIdenticalToTheWriterOutput()
    {
        var report = SampleReports.October(BucketSize.Day, extraRoutes: 20);
        var artifacts = new ReportArtifacts([new CsvReportRenderer()], new TemplateRenderer(TimeProvider.System));
        using var expected = new MemoryStream();
        await AsrCsvWriter.WriteAsync(report, expected, CancellationToken.None);

        await using var files = await artifacts.RenderAsync(report, [ReportFormatKind.Csv], new RenderOptions(), CancellationToken.None);

        var csv = files.Single(f => f.Format == "csv");
        Assert.Equal(expected.ToArray(), csv.Bytes());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray())), csv.Sha256);
        Assert.Equal(expected.Length, csv.Length);
    }

    /// <summary>One message with the file attached, written out as it would go to the SMTP server.</summary>
    private static async Task<long> ComposeAndWriteAsync(Artifact csv)
    {
        var composer = new MessageComposer(new MailOptions { From = "reports@example.net" });
        var key = new DeliveryKey("monthly-acme", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1));
        using var message = composer.Compose(composer.MessageId("report", key, "alice@example.org"), [MailboxAddress.Parse("alice@example.org")], [],
            new MailContent("Report", "<p>Report.</p>", "Report."), [csv], DateTimeOffset.UnixEpoch);
        var counter = new CountingStream();
        await message.WriteToAsync(counter);
        return counter.Length;
    }

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Polls the managed heap size every millisecond on its own thread and keeps the highest value seen.</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public HeapSampler()
        {
            _peak = GC.GetTotalMemory(false);
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    var now = GC.GetTotalMemory(false);
                    if (now > Interlocked.Read(ref _peak))
                    {
                        Interlocked.Exchange(ref _peak, now);
                    }

                    Thread.Sleep(1);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(false));
        }

        public void Dispose() => Stop();
    }

    /// <summary>A sink that counts what is written to it.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Position += count;
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Position += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
