namespace CarrierReports.Archive;

/// <summary>
/// File-system steps that never follow a symbolic link below the archive root. The root itself may be a link (it is
/// resolved once, to its real path); anything under it that is a link is refused, because a link there could lead a
/// store, a copy, a mode change or a delete to files outside the archive.
/// </summary>
internal static class ArchiveFs
{
    private const int MaxLinkDepth = 40;

    /// <summary>True when <paramref name="path"/> itself is a symbolic link (to a file or a folder, dangling or not).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>True when something (a file, a folder or a link, even a dangling one) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || IsLink(path);

    /// <summary>
    /// The path with every symbolic link along it resolved, component by component, so that "inside the root" can be
    /// decided on real paths rather than on text.
    /// </summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int depth)
    {
        var absolute = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var current = Path.GetPathRoot(absolute)!;
        var parts = absolute[current.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            if (part == ".")
            {
                continue;
            }

            // The prefix is already real, so its parent is the real parent (no link can make ".." go elsewhere).
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (depth >= MaxLinkDepth)
                {
                    throw new IOException($"'{path}': more than {MaxLinkDepth} levels of symbolic links");
                }

                next = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            }

            current = next;
        }

        return current;
    }

    /// <summary>True when the real path of <paramref name="path"/> is <paramref name="realRoot"/> or below it.</summary>
    public static bool IsInside(string realRoot, string path)
    {
        var real = RealPath(path);
        var root = Path.TrimEndingDirectorySeparator(realRoot);
        return string.Equals(real, root, StringComparison.Ordinal)
               || real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>
    /// Creates <paramref name="relative"/> ('/'-separated) under the real root one folder at a time, refusing any
    /// component that is a link or a file, and returns its full path.
    /// </summary>
    public static string EnsureFolder(string realRoot, string relative)
    {
        var current = realRoot;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            RefuseLink(current);
            if (File.Exists(current))
            {
                throw new IOException($"'{current}' is a file where the archive needs a folder");
            }

            if (!Directory.Exists(current))
            {
                Directory.CreateDirectory(current);
            }
        }

        return current;
    }

    /// <summary>Throws when <paramref name="path"/> is a link; the message names the link and its target.</summary>
    public static void RefuseLink(string path)
    {
        if (new FileInfo(path).LinkTarget is { } target)
        {
            throw new IOException($"'{path}' is a symbolic link (to '{target}'); the archive refuses links below {ArchiveOptions.Section}:Root");
        }
    }

    /// <summary>
    /// Deletes a folder and everything in it without following links: a link is removed itself, never what it points
    /// to, and no mode is changed through one.
    /// </summary>
    public static void DeleteTree(string folder)
    {
        RefuseLink(folder);
        foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (info.LinkTarget is not null)
            {
                DeleteLink(info);
            }
            else if (info is DirectoryInfo)
            {
                DeleteTree(info.FullName);
            }
            else
            {
                // Only Windows refuses to delete a read-only file; on Unix the write bit of the folder is what counts,
                // and leaving the file's mode alone means nothing is ever chmod-ed here.
                if (OperatingSystem.IsWindows())
                {
                    File.SetAttributes(info.FullName, FileAttributes.Normal);
                }

                File.Delete(info.FullName);
            }
        }

        Directory.Delete(folder, recursive: false);
    }

    private static void DeleteLink(FileSystemInfo link)
    {
        if (OperatingSystem.IsWindows() && link is DirectoryInfo)
        {
            Directory.Delete(link.FullName, recursive: false);
        }
        else
        {
            // unlink(2) removes the link itself, whatever it points to.
            File.Delete(link.FullName);
        }
    }
}
