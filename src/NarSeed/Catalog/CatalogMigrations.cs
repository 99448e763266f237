namespace NarSeed.Catalog;

/// <summary>
/// The catalog's schema as ordered steps. Step N brings the schema from version N-1 to N; a step is never edited once
/// released, a change is a new step. <see cref="CatalogDatabase"/> applies the missing steps in one transaction each.
/// </summary>
internal static class CatalogMigrations
{
    /// <summary>Version 1: store paths, references, nar files, torrents, roots and per-nar counters.</summary>
    private const string V1 = """
        CREATE TABLE store_paths (
            id          INTEGER PRIMARY KEY,
            hash_part   TEXT    NOT NULL UNIQUE,      -- the 32 nix32 characters: every lookup starts here
            path        TEXT    NOT NULL UNIQUE,      -- /nix/store/<hash>-<name> or /gnu/store/…
            narinfo     BLOB    NOT NULL,             -- the origin's narinfo, byte for byte (signatures stay valid)
            nar_hash    TEXT    NOT NULL,
            nar_size    INTEGER NOT NULL CHECK (nar_size >= 0),
            deriver     TEXT,
            origin      TEXT    NOT NULL,             -- the cache this path came from
            added_at    INTEGER NOT NULL              -- unix milliseconds
        );

        -- One row per (referrer, referenced hash part). The reference may not be catalogued yet (the mirror records a
        -- path before all of its references); reference_id is filled in when it is, so the GC closure walks integers.
        -- A rowid table, not WITHOUT ROWID: its secondary indices then carry an 8-byte rowid instead of the 32-byte
        -- hash, and refs_closure stays small enough for the closure walk to read quickly. refs_closure also serves
        -- lookups by referrer (and the cascade); the catalog writes a referrer's references as a de-duplicated set,
        -- so no third index enforces uniqueness (each index costs a GC deleting a million references seconds).
        CREATE TABLE refs (
            referrer_id    INTEGER NOT NULL REFERENCES store_paths(id) ON DELETE CASCADE,
            reference_hash TEXT    NOT NULL,
            reference_id   INTEGER
        );
        CREATE INDEX refs_closure ON refs(referrer_id, reference_id);
        CREATE INDEX refs_by_reference ON refs(reference_hash);

        -- state: 0 pending (not final: removed by start-up recovery), 1 ready (seeded and served),
        -- 2 retired (outside every root's closure: not seeded, deleted after the grace period).
        CREATE TABLE nar_files (
            id            INTEGER PRIMARY KEY,
            store_path_id INTEGER NOT NULL UNIQUE REFERENCES store_paths(id) ON DELETE CASCADE,
            url           TEXT    NOT NULL,           -- the relative URL the narinfo names (nar/….nar.xz)
            origin_url    TEXT    NOT NULL,           -- the origin's absolute nar URL (the torrent's web seed)
            compression   TEXT    NOT NULL,
            file_hash     TEXT    NOT NULL,
            file_size     INTEGER NOT NULL CHECK (file_size >= 0),
            local_path    TEXT    NOT NULL,           -- relative to the nar directory
            state         INTEGER NOT NULL CHECK (state IN (0, 1, 2)),
            stored_at     INTEGER NOT NULL,
            retired_at    INTEGER
        );
        CREATE INDEX nar_files_by_url ON nar_files(url);
        CREATE INDEX nar_files_by_state ON nar_files(state, retired_at);

        CREATE TABLE torrents (
            nar_id        INTEGER PRIMARY KEY REFERENCES nar_files(id) ON DELETE CASCADE,
            info_hash_v2  BLOB    NOT NULL UNIQUE CHECK (length(info_hash_v2) = 32),
            info_hash_v1  BLOB    UNIQUE CHECK (info_hash_v1 IS NULL OR length(info_hash_v1) = 20),
            piece_length  INTEGER NOT NULL CHECK (piece_length >= 16384),
            pieces_root   BLOB    NOT NULL CHECK (length(pieces_root) = 32),
            piece_layer   BLOB    NOT NULL            -- concatenated SHA-256 piece hashes (empty for one piece)
        );

        -- source: 0 added with `narseed roots add`, 1 from the configuration (--root), replaced at every start.
        CREATE TABLE roots (
            path      TEXT    PRIMARY KEY,
            hash_part TEXT    NOT NULL,
            source    INTEGER NOT NULL CHECK (source IN (0, 1)),
            added_at  INTEGER NOT NULL
        );
        CREATE INDEX roots_by_hash ON roots(hash_part);

        CREATE TABLE nar_counters (
            nar_id            INTEGER PRIMARY KEY REFERENCES nar_files(id) ON DELETE CASCADE,
            requests          INTEGER NOT NULL DEFAULT 0,
            uploaded_bytes    INTEGER NOT NULL DEFAULT 0,
            last_requested_at INTEGER
        );
        """;

    /// <summary>Every step in order; index i holds the step to version i + 1.</summary>
    public static IReadOnlyList<string> Steps { get; } = [V1];

    public static int LatestVersion => Steps.Count;
}
