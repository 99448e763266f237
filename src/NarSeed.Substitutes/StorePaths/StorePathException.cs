namespace NarSeed.Substitutes.StorePaths;

/// <summary>A store path or store path base name that breaks Nix's rules.</summary>
public sealed class StorePathException : FormatException
{
    public StorePathException(StorePathErrorReason reason, string input, int offset)
        : base($"Invalid store path ({reason}) at offset {offset}: '{Truncate(input)}'.")
    {
        Reason = reason;
        Offset = offset;
    }

    public StorePathErrorReason Reason { get; }

    /// <summary>Character offset in the input where the problem was found.</summary>
    public int Offset { get; }

    private static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
