using NarSeed.Catalog;

namespace NarSeed.Hosting;

/// <summary>
/// Turns root arguments into store paths: a store path stands for itself, a file lists store paths one per line
/// (blank lines and <c>#</c> comments skipped), like Hydra's store-paths. xz-compressed lists need NarSeed.Substitutes'
/// decompression and are refused with a clear error until it is wired in.
/// </summary>
public static class RootSpecifications
{
    /// <summary>Longest root list read (a Hydra nixpkgs evaluation lists a few hundred thousand paths).</summary>
    public const int MaxStorePathsPerFile = 10_000_000;

    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    public static async Task<IReadOnlyList<string>> ExpandAsync(
        IEnumerable<string> specifications, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        foreach (var specification in specifications)
        {
            if (StorePathText.TryGetHashPart(specification, out _))
            {
                paths.Add(specification);
                continue;
            }
            if (!File.Exists(specification))
            {
                throw new NodeConfigurationException(
                    $"Root '{specification}' is neither a store path nor an existing file of store paths.");
            }
            paths.AddRange(await ReadListAsync(specification, cancellationToken));
        }
        return paths.Distinct(StringComparer.Ordinal).ToList();
    }

    private static async Task<List<string>> ReadListAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        var head = new byte[XzMagic.Length];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (head.AsSpan(0, read).SequenceEqual(XzMagic))
        {
            throw new NodeConfigurationException(
                $"Root list '{file}' is xz-compressed; xz root lists are not supported yet (decompress it first).");
        }
        stream.Position = 0;
        using var reader = new StreamReader(stream);
        var paths = new List<string>();
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }
            if (!StorePathText.TryGetHashPart(text, out _))
            {
                throw new NodeConfigurationException($"Root list '{file}' line {lineNumber}: '{text}' is not a store path.");
            }
            if (paths.Count == MaxStorePathsPerFile)
            {
                throw new NodeConfigurationException(
                    $"Root list '{file}' has more than {MaxStorePathsPerFile} store paths.");
            }
            paths.Add(text);
        }
        return paths;
    }
}
