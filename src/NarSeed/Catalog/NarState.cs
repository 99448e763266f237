namespace NarSeed.Catalog;

/// <summary>Where a nar file is in its life. Only <see cref="Ready"/> nars are seeded and served.</summary>
public enum NarState
{
    /// <summary>Being fetched; not final. Start-up recovery deletes pending rows and their temporary files.</summary>
    Pending = 0,

    /// <summary>Verified, fsynced, renamed into place: seeded and served.</summary>
    Ready = 1,

    /// <summary>Outside every root's closure: no longer seeded; deleted once the GC grace period has passed.</summary>
    Retired = 2,
}
