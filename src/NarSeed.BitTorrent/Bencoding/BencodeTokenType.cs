namespace NarSeed.BitTorrent.Bencoding;

/// <summary>What the next thing in a bencoded input is (see <see cref="BencodeReader.PeekToken"/>).</summary>
public enum BencodeTokenType
{
    /// <summary>The single top-level value has been read completely.</summary>
    Finished,
    Integer,
    String,
    StartList,
    StartDictionary,
    /// <summary>The <c>e</c> closing the current list or dictionary.</summary>
    EndContainer,
}
