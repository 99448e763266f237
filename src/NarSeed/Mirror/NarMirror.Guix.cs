using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Mirror;

public sealed partial class NarMirror
{
    /// <summary>Guix publishes zstd and lzip; zstd decodes several times faster, lzip is smaller (substitutes.md §3).</summary>
    public static readonly IReadOnlyList<string> DefaultGuixCompressions = ["zstd", "lzip"];

    /// <summary>
    /// A Guix narinfo: signature checked over the bytes before <c>Signature:</c> (GuixSignatureVerifier), then one of
    /// its URL/Compression/FileSize groups is mirrored, the first in the preferred compression order.
    /// </summary>
    private async Task<PathOutcome> FetchGuixAsync(string hashPart, string origin, SubstituterClient client,
        string text, System.Diagnostics.Stopwatch clock, CancellationToken cancellationToken)
    {
        GuixNarInfo info;
        try
        {
            info = GuixNarInfo.Parse(text, _options.StoreDirectory);
        }
        catch (NarInfoFormatException e)
        {
            return Refuse(hashPart, MirrorFailure.NarInfo, e.Message, []);
        }
        if (info.StorePath.HashPart != hashPart)
        {
            return Refuse(hashPart, MirrorFailure.NarInfo, $"the narinfo describes {info.StorePath}", []);
        }
        var verdict = GuixSignatureVerifier.Verify(info, _guixKeys);
        if (verdict != GuixSignatureVerdict.Valid)
        {
            return Refuse(hashPart, MirrorFailure.Signature, verdict.ToString(), []);
        }
        var references = info.References.Select(r => r.HashPart).Where(r => r != hashPart).ToList();
        var entry = ChooseGuixEntry(info.Entries,
            _options.Mirror.GuixCompressions.Count > 0 ? _options.Mirror.GuixCompressions : DefaultGuixCompressions);
        if (entry is null)
        {
            return Refuse(hashPart, MirrorFailure.NarInfo, "no URL in a compression NarSeed can verify", references);
        }
        Lap(MirrorPhase.NarInfo, clock);
        return await StoreNarAsync(new NarSource(hashPart, origin, client, text, info.StorePath, info.NarHash,
            info.NarSize, info.Deriver, info.References, entry.Url,
            new NarExpectation(entry.Compression, null, entry.FileSize, info.NarHash, info.NarSize)),
            references, clock, cancellationToken);
    }

    /// <summary>The entry in the most preferred compression; else any entry (the decoder supports them all).</summary>
    public static GuixNarInfoEntry? ChooseGuixEntry(IReadOnlyList<GuixNarInfoEntry> entries, IReadOnlyList<string> preferred)
    {
        foreach (var name in preferred)
        {
            if (CompressionMethodNames.TryParse(name, out var method) &&
                entries.FirstOrDefault(e => e.Compression == method) is { } match)
            {
                return match;
            }
        }
        return entries.FirstOrDefault();
    }
}
