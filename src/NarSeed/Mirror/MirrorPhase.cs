namespace NarSeed.Mirror;

/// <summary>The steps of mirroring one path, timed for the status page and the mirror benchmark.</summary>
public enum MirrorPhase
{
    /// <summary>Narinfo request and signature check.</summary>
    NarInfo,

    /// <summary>Nar download into the temporary file.</summary>
    Download,

    /// <summary>Decoding and hashing (FileHash, NarHash) of the downloaded file.</summary>
    Verify,

    /// <summary>fsync and rename of the file.</summary>
    Commit,

    /// <summary>Hashing the file into its torrent.</summary>
    Torrent,

    /// <summary>Catalog rows and seeding registration.</summary>
    Record,
}
