namespace NarSeed.BitTorrent.Bencoding;

/// <summary>
/// An immutable bencoded value (a small DOM for non-hot paths: .torrent files, extension handshakes). Every value
/// keeps <see cref="Encoded"/>, its exact bytes in the input, so hashes are taken over the original encoding.
/// </summary>
public abstract class BencodeValue
{
    private protected BencodeValue(ReadOnlyMemory<byte> encoded) => Encoded = encoded;

    /// <summary>The exact bytes of this value in the parsed input.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>Parses exactly one canonical value filling all of <paramref name="data"/>.</summary>
    public static BencodeValue Parse(ReadOnlyMemory<byte> data, BencodeLimits? limits = null)
    {
        if (limits is { RequireSortedKeys: false })
        {
            throw new ArgumentException("The DOM needs canonical key order for its lookups.", nameof(limits));
        }
        var reader = new BencodeReader(data.Span, limits);
        var value = Read(ref reader, data);
        reader.EnsureFinished();
        return value;
    }

    private static BencodeValue Read(ref BencodeReader reader, ReadOnlyMemory<byte> data)
    {
        // Depth is bounded by BencodeLimits.MaxDepth; this guards callers who raise it very high.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var start = reader.BytesConsumed;
        switch (reader.PeekToken())
        {
            case BencodeTokenType.Integer:
            {
                var value = reader.ReadInteger();
                return new BencodeInteger(value, data[start..reader.BytesConsumed]);
            }
            case BencodeTokenType.String:
            {
                var length = reader.ReadString().Length;
                var end = reader.BytesConsumed;
                return new BencodeString(data[(end - length)..end], data[start..end]);
            }
            case BencodeTokenType.StartList:
            {
                reader.ReadStartList();
                var items = new List<BencodeValue>();
                while (!reader.TryReadEndList())
                {
                    items.Add(Read(ref reader, data));
                }
                return new BencodeList(items, data[start..reader.BytesConsumed]);
            }
            case BencodeTokenType.StartDictionary:
            {
                reader.ReadStartDictionary();
                var entries = new List<KeyValuePair<ReadOnlyMemory<byte>, BencodeValue>>();
                while (!reader.TryReadEndDictionary())
                {
                    var keyLength = reader.ReadString().Length;
                    var keyEnd = reader.BytesConsumed;
                    var key = data[(keyEnd - keyLength)..keyEnd];
                    entries.Add(new(key, Read(ref reader, data)));
                }
                return new BencodeDictionary(entries, data[start..reader.BytesConsumed]);
            }
            default:
                throw new InvalidOperationException("No value to read.");
        }
    }
}
