using System.Collections;

namespace CarrierReports.Rendering;

/// <summary>
/// The files of one rendering, in order, and the temporary folder that holds them. Dispose it when the files have been
/// used (archived, mailed, copied out); that deletes them. Keep it alive as long as anything still reads an artifact.
/// </summary>
public sealed class ArtifactSet(ArtifactFolder folder, IReadOnlyList<Artifact> files) : IReadOnlyList<Artifact>, IDisposable, IAsyncDisposable
{
    public Artifact this[int index] => files[index];

    public int Count => files.Count;

    /// <summary>The folder the files are in.</summary>
    public ArtifactFolder Folder => folder;

    public IEnumerator<Artifact> GetEnumerator() => files.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => folder.Dispose();

    public ValueTask DisposeAsync()
    {
        folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
