using System.Text;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.Seeding;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using StorePaths = NarSeed.Substitutes.StorePaths;

namespace NarSeed.Mirror;

public sealed partial class NarMirror
{
    /// <summary>The relative URL prefix of the nars the node serves (as in Nix's own caches).</summary>
    public const string NarUrlPrefix = "nar/";

    private async Task<PathOutcome> FetchAsync(string hashPart, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? text = null;
        string origin = "";
        SubstituterClient? client = null;
        foreach (var (name, candidate) in _origins)
        {
            text = await candidate.TryGetNarInfoTextAsync(hashPart, cancellationToken);
            if (text is not null)
            {
                (origin, client) = (name, candidate);
                break;
            }
        }
        if (text is null || client is null)
        {
            return Refuse(hashPart, MirrorFailure.NotFound, "no origin has its narinfo", []);
        }
        if (_options.Dialect == StoreDialect.Guix)
        {
            return await FetchGuixAsync(hashPart, origin, client, text, clock, cancellationToken);
        }

        NixNarInfo info;
        try
        {
            info = NixNarInfo.Parse(text, _options.StoreDirectory);
        }
        catch (NarInfoFormatException e)
        {
            return Refuse(hashPart, MirrorFailure.NarInfo, e.Message, []);
        }
        if (info.StorePath.HashPart != hashPart)
        {
            return Refuse(hashPart, MirrorFailure.NarInfo, $"the narinfo describes {info.StorePath}", []);
        }
        var check = NixSignatureVerifier.Verify(info, _trustedKeys);
        if (check.Verdict != SignatureVerdict.Valid)
        {
            // An untrusted narinfo's references are not trusted either: the walk does not follow them from here.
            return Refuse(hashPart, MirrorFailure.Signature, check.Verdict.ToString(), []);
        }
        Lap(MirrorPhase.NarInfo, clock);
        var references = info.References.Select(r => r.HashPart).Where(r => r != hashPart).ToList();

        return await StoreNarAsync(new NarSource(hashPart, origin, client, text, info.StorePath, info.NarHash,
            info.NarSize, info.Deriver, info.References, info.Url,
            new NarExpectation(info.Compression, info.FileHash, info.FileSize, info.NarHash, info.NarSize)),
            references, clock, cancellationToken);
    }

    /// <summary>Downloads, verifies, commits, hashes into a torrent, records and seeds one nar (both dialects).</summary>
    private async Task<PathOutcome> StoreNarAsync(NarSource source, IReadOnlyList<string> references,
        System.Diagnostics.Stopwatch clock, CancellationToken cancellationToken)
    {
        var (hashPart, origin, client, text) = (source.HashPart, source.Origin, source.Client, source.Text);
        var expected = source.Expectation;
        Uri narUri;
        try
        {
            narUri = client.ResolveNarUri(source.Url);
        }
        catch (SubstituterException e)
        {
            return Refuse(hashPart, MirrorFailure.Url, e.Message, references);
        }

        var fileName = hashPart + ".nar" + expected.Compression.FileExtension();
        string filePath;
        long fileSize;
        NarIngestResult ingested;
        await using (var pending = _store.CreatePending(fileName))
        {
            // One pass: the verifier and the torrent hasher consume the bytes while they are written to the file.
            await using (var ingest = new NarIngestStream(pending.Stream, expected, _options.BitTorrent.Hybrid,
                cancellationToken))
            {
                fileSize = await client.DownloadNarAsync(source.Url, ingest, expected.FileSize, cancellationToken);
                Lap(MirrorPhase.Download, clock);
                ingested = await ingest.CompleteAsync();
                Lap(MirrorPhase.Verify, clock);
            }
            var verification = ingested.Verification;
            if (!verification.IsValid)
            {
                return Refuse(hashPart, MirrorFailure.NarBytes,
                    $"{verification.FirstFailure} does not match ({narUri})", references);
            }
            await pending.CommitAsync(cancellationToken);
            filePath = _store.GetPath(fileName);
            Lap(MirrorPhase.Commit, clock);
        }

        // The file is in place but unrecorded: a crash from here on leaves an orphan file that start-up deletes.
        // Its torrent was hashed on the way in; only a narinfo without FileSize (the size fixes the piece length)
        // makes the file be read again for it.
        var (_, torrent) = ingested.Torrent is { } hashes && hashes.Length == fileSize
            ? NarTorrents.FromHashes(0, fileName, narUri.AbsoluteUri, hashes.Length, hashes.PieceLength,
                hashes.PieceLayer, hashes.V1Pieces, _options.BitTorrent.Trackers)
            : await NarTorrents.BuildAsync(0, filePath, fileName, narUri.AbsoluteUri,
                _options.BitTorrent.Hybrid, _options.BitTorrent.Trackers, cancellationToken);
        Lap(MirrorPhase.Torrent, clock);
        await _catalog.AddStorePathAsync(new StorePathRecord(hashPart, source.StorePath.FullPath,
            Encoding.UTF8.GetBytes(text), source.NarHash.ToNix32String(), source.NarSize, source.Deriver?.FullPath,
            origin, source.References.Select(r => r.HashPart).ToList()), cancellationToken);
        var nar = new NarFileRecord(hashPart, NarUrlPrefix + fileName, narUri.AbsoluteUri, expected.Compression.ToName(),
            ingested.Verification.ActualFileHash.ToNix32String(), fileSize, fileName, NarState.Ready);
        var narId = await _catalog.AddNarAsync(nar, cancellationToken);
        torrent = torrent with { NarId = narId };
        await _catalog.SetTorrentAsync(torrent, cancellationToken);
        await _seeding.SeedAsync(nar with { Id = narId }, torrent, cancellationToken);
        Lap(MirrorPhase.Record, clock);
        _progress.AddMirrored(fileSize);
        Log.Mirrored(_logger, source.StorePath.FullPath, fileSize, expected.Compression.ToName());
        return new PathOutcome(references, Retry: false);
    }

    private void Lap(MirrorPhase phase, System.Diagnostics.Stopwatch clock)
    {
        _progress.AddTime(phase, clock.Elapsed);
        clock.Restart();
    }

    private sealed record NarSource(string HashPart, string Origin, SubstituterClient Client, string Text,
        StorePaths.StorePath StorePath, StorePaths.NixHash NarHash, long NarSize, StorePaths.StorePath? Deriver,
        IReadOnlyList<StorePaths.StorePath> References, string Url, NarExpectation Expectation);
}
