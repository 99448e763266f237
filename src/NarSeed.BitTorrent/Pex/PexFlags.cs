namespace NarSeed.BitTorrent.Pex;

/// <summary>BEP 11 <c>added.f</c> flag bits, one byte per added peer.</summary>
[Flags]
public enum PexFlags : byte
{
    None = 0,
    PrefersEncryption = 0x01,
    Seed = 0x02,
    SupportsUtp = 0x04,
    SupportsHolePunch = 0x08,
    Reachable = 0x10,
}
