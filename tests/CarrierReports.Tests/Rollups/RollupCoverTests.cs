using CarrierReports.Reports;
using CarrierReports.Rollups;
using CarrierReports.Time;

namespace CarrierReports.Tests.Rollups;

/// <summary>
/// The tier plan of the read path: the ranges it reads cover the period exactly once, each on its tier's edges, and no
/// tier row read from them straddles a bucket start (a row is given to the bucket its start falls in).
/// </summary>
public sealed class RollupCoverTests
{
    private static readonly string[] ZoneIds =
        ["Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "UTC", "Australia/Lord_Howe"];

    [Fact]
    public void RandomBucketsOfRealZones_AreCoveredExactlyOnce_ByRowsInsideOneBucketEach()
    {
        var random = new Random(12);
        for (var i = 0; i < 400; i++)
        {
            var zone = Zones.Find(ZoneIds[random.Next(ZoneIds.Length)], "zone");
            var size = random.Next(3) switch { 0 => BucketSize.Hour, 1 => BucketSize.Day, _ => BucketSize.Month };
            var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(330)).AddMinutes(15 * random.Next(96));
            var to = from.AddMinutes(15 * (1 + random.Next(size == BucketSize.Hour ? 300 : 6_000)));
            var starts = BucketPlan.Create(zone, size, from, to).Starts().Select(s => s.ToUnixTimeSeconds()).ToArray();
            // The rollups may end (the watermark) anywhere after the first bucket start.
            var end = starts[0] + (900 * (1 + random.Next((int)((to.ToUnixTimeSeconds() - starts[0]) / 900))));
            var covered = starts.Where(s => s < end).ToArray();
            Check(covered, end, RollupCover.Plan(covered[0], end, covered), $"{zone.Id} {size} {from:O}..{end}");
        }
    }

    [Theory]
    [InlineData("UTC", BucketSize.Day, 2, 0, 0, 1)]
    [InlineData("Europe/London", BucketSize.Day, 2, 0, 0, 1)]
    [InlineData("Europe/London", BucketSize.Day, 7, 0, 1, 0)]
    [InlineData("Asia/Kathmandu", BucketSize.Day, 2, 29, 28, 0)]
    [InlineData("Asia/Kathmandu", BucketSize.Hour, 2, 1, 0, 0)]
    [InlineData("America/New_York", BucketSize.Hour, 11, 0, 1, 0)]
    public void AMonth_IsReadFromTheCoarsestTierThatFits(string zoneId, BucketSize size, int month, int slotRuns, int hourRuns, int dayRuns)
    {
        var zone = Zones.Find(zoneId, "zone");
        var from = new DateTimeOffset(new DateTime(2026, month, 1), zone.GetUtcOffset(new DateTime(2026, month, 1)));
        var to = new DateTimeOffset(new DateTime(2026, month + 1, 1), zone.GetUtcOffset(new DateTime(2026, month + 1, 1)));
        var starts = BucketPlan.Create(zone, size, from, to).Starts().Select(s => s.ToUnixTimeSeconds()).ToArray();
        var plan = RollupCover.Plan(starts[0], to.ToUnixTimeSeconds(), starts);
        Check(starts, to.ToUnixTimeSeconds(), plan, zoneId);
        Assert.Equal([slotRuns, hourRuns, dayRuns], plan.Select(p => p.Count).ToArray());
    }

    private static void Check(long[] starts, long end, IReadOnlyList<(long Lo, long Hi)>[] plan, string what)
    {
        var pieces = new List<(long Lo, long Hi)>();
        for (var t = 0; t < plan.Length; t++)
        {
            var tier = RollupTier.All[t];
            foreach (var (lo, hi) in plan[t])
            {
                Assert.True(lo < hi && tier.Floor(lo) == lo && tier.Floor(hi) == hi, $"{what}: {tier.Table} range [{lo}, {hi}) is off its edges");
                pieces.Add((lo, hi));
                for (var row = lo; row < hi; row += tier.Seconds)
                {
                    Assert.False(starts.Any(s => s > row && s < row + tier.Seconds), $"{what}: a {tier.Table} row at {row} straddles a bucket start");
                }
            }
        }

        pieces.Sort();
        var at = starts[0];
        foreach (var (lo, hi) in pieces)
        {
            Assert.True(lo == at, $"{what}: gap or overlap at {at} (next range starts {lo})");
            at = hi;
        }

        Assert.Equal(end, at);
    }
}
