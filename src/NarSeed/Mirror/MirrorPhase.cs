namespace NarSeed.Mirror;

/// <summary>The steps of mirroring one path, timed for the status page and the mirror benchmark.</summary>
public enum MirrorPhase
{
    /// <summary>Narinfo request and signature check.</summary>
    NarInfo,

    /// <summary>Nar download into the temporary file, with verification and torrent hashing running alongside
    /// (<see cref="NarIngestStream"/>); the download waits for them only when their bounded buffers are full.</summary>
    Download,

    /// <summary>After the last byte arrived: the verifier and the torrent hasher finishing their buffered bytes.</summary>
    Verify,

    /// <summary>fsync and rename of the file.</summary>
    Commit,

    /// <summary>Assembling the torrent from the hashes computed during the download (or, for a narinfo without
    /// FileSize, hashing the stored file).</summary>
    Torrent,

    /// <summary>Catalog rows and seeding registration.</summary>
    Record,
}
