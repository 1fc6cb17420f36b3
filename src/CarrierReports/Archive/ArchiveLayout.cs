using CarrierReports.Rendering;
using CarrierReports.Time;

namespace CarrierReports.Archive;

/// <summary>Where a run's files go in the archive, and under which names; every component is sanitised input.</summary>
internal static class ArchiveLayout
{
    public static List<string> FileNames(IReadOnlyList<Artifact> files)
    {
        if (files.Count == 0)
        {
            throw new InputException("files", "there is nothing to archive");
        }

        var names = new List<string>(files.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < files.Count; i++)
        {
            var field = $"files:{i}:fileName";
            var name = ArchivePaths.Sanitize(files[i].FileName, field);
            if (string.Equals(name, ArchiveStore.ManifestName, StringComparison.OrdinalIgnoreCase))
            {
                throw new InputException(field, $"'{ArchiveStore.ManifestName}' is reserved for the archive's own manifest");
            }

            if (!seen.Add(name))
            {
                throw new InputException(field, $"'{files[i].FileName}' is stored as '{name}', which another file already uses");
            }

            names.Add(name);
        }

        return names;
    }

    public static (string Folder, DateTimeOffset LocalFrom, DateTimeOffset LocalTo) Locate(ArchiveRun run)
    {
        if (string.IsNullOrWhiteSpace(run.RunId))
        {
            throw new InputException("run:runId", "is empty");
        }

        if (run.UtcTo <= run.UtcFrom)
        {
            throw new InputException("run:utcTo", $"{run.UtcTo:O} is not after run:utcFrom {run.UtcFrom:O}");
        }

        var zone = Zones.Find(run.TimeZone, "run:timeZone");
        var carrier = ArchivePaths.Sanitize(run.Carrier, "run:carrier");
        var subscription = ArchivePaths.Sanitize(run.Subscription, "run:subscription");
        var bucket = ArchivePaths.Sanitize(run.Bucket, "run:bucket");
        var localFrom = zone.ToLocal(run.UtcFrom);
        var localTo = zone.ToLocal(run.UtcTo);
        return ($"{carrier}/{subscription}/{ArchivePaths.Stamp(localFrom)}_{ArchivePaths.Stamp(localTo)}_{bucket}", localFrom, localTo);
    }
}
