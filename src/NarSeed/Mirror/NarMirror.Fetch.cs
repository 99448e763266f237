using System.Text;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.Seeding;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Mirror;

public sealed partial class NarMirror
{
    /// <summary>The relative URL prefix of the nars the node serves (as in Nix's own caches).</summary>
    public const string NarUrlPrefix = "nar/";

    private async Task<PathOutcome> FetchAsync(string hashPart, CancellationToken cancellationToken)
    {
        if (_options.Dialect != StoreDialect.Nix)
        {
            return Refuse(hashPart, MirrorFailure.NarInfo, "mirroring Guix narinfos is not implemented yet", []);
        }
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

        Uri narUri;
        try
        {
            narUri = client.ResolveNarUri(info.Url);
        }
        catch (SubstituterException e)
        {
            return Refuse(hashPart, MirrorFailure.Url, e.Message, references);
        }

        var fileName = hashPart + ".nar" + info.Compression.FileExtension();
        string filePath;
        long fileSize;
        NarVerification verification;
        await using (var pending = _store.CreatePending(fileName))
        {
            fileSize = await client.DownloadNarAsync(info.Url, pending.Stream, info.FileSize, cancellationToken);
            await pending.Stream.FlushAsync(cancellationToken);
            Lap(MirrorPhase.Download, clock);
            verification = await NarVerifier.VerifyFileAsync(pending.TemporaryPath,
                new NarExpectation(info.Compression, info.FileHash, info.FileSize, info.NarHash, info.NarSize),
                cancellationToken);
            Lap(MirrorPhase.Verify, clock);
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
        var (_, torrent) = await NarTorrents.BuildAsync(0, filePath, fileName, narUri.AbsoluteUri,
            _options.BitTorrent.Hybrid, _options.BitTorrent.Trackers, cancellationToken);
        Lap(MirrorPhase.Torrent, clock);
        await _catalog.AddStorePathAsync(new StorePathRecord(hashPart, info.StorePath.FullPath,
            Encoding.UTF8.GetBytes(text), info.NarHash.ToNix32String(), info.NarSize, info.Deriver?.FullPath,
            origin, info.References.Select(r => r.HashPart).ToList()), cancellationToken);
        var nar = new NarFileRecord(hashPart, NarUrlPrefix + fileName, narUri.AbsoluteUri, info.Compression.ToName(),
            verification.ActualFileHash.ToNix32String(), fileSize, fileName, NarState.Ready);
        var narId = await _catalog.AddNarAsync(nar, cancellationToken);
        torrent = torrent with { NarId = narId };
        await _catalog.SetTorrentAsync(torrent, cancellationToken);
        await _seeding.SeedAsync(nar with { Id = narId }, torrent, cancellationToken);
        Lap(MirrorPhase.Record, clock);
        _progress.AddMirrored(fileSize);
        Log.Mirrored(_logger, info.StorePath.FullPath, fileSize, info.Compression.ToName());
        return new PathOutcome(references, Retry: false);
    }

    private void Lap(MirrorPhase phase, System.Diagnostics.Stopwatch clock)
    {
        _progress.AddTime(phase, clock.Elapsed);
        clock.Restart();
    }
}
