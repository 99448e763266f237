using System.Buffers;
using System.Globalization;
using System.Text;

namespace NarSeed.BitTorrent.Bencoding;

/// <summary>
/// Writes canonical bencoding into an <see cref="IBufferWriter{T}"/>. Dictionary keys must be written in strictly
/// increasing raw-byte order (BEP 3); a key out of order, a value where a key belongs or an unbalanced end throws
/// <see cref="InvalidOperationException"/>, so the writer cannot produce input our own reader would reject.
/// </summary>
public sealed class BencodeWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly List<Frame> _frames = [];

    public BencodeWriter(IBufferWriter<byte> output) => _output = output;

    /// <summary>How many lists and dictionaries are open.</summary>
    public int CurrentDepth => _frames.Count;

    /// <summary>Encodes what <paramref name="write"/> writes into a new array.</summary>
    public static byte[] Encode(Action<BencodeWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new BencodeWriter(buffer);
        write(writer);
        if (writer.CurrentDepth != 0)
        {
            throw new InvalidOperationException("A list or dictionary was left open.");
        }
        return buffer.WrittenSpan.ToArray();
    }

    public void WriteInteger(long value)
    {
        BeforeValue();
        var span = _output.GetSpan(22);
        span[0] = (byte)'i';
        value.TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'e';
        _output.Advance(written + 2);
        AfterValue();
    }

    public void WriteString(ReadOnlySpan<byte> value)
    {
        BeforeValue();
        WriteRawString(value);
        AfterValue();
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 bytes (the length counts bytes, not characters).</summary>
    public void WriteString(string value) => WriteString(Encoding.UTF8.GetBytes(value));

    public void WriteStartList()
    {
        BeforeValue();
        _frames.Add(new Frame(false));
        WriteByte((byte)'l');
    }

    public void WriteStartDictionary()
    {
        BeforeValue();
        _frames.Add(new Frame(true));
        WriteByte((byte)'d');
    }

    public void WriteEndList() => WriteEnd(false);

    public void WriteEndDictionary() => WriteEnd(true);

    /// <summary>Writes a dictionary key; it must sort after the previous key of this dictionary.</summary>
    public void WriteKey(ReadOnlySpan<byte> key)
    {
        var frame = Current("a key");
        if (!frame.IsDictionary || !frame.ExpectKey)
        {
            throw new InvalidOperationException("A key can only be written in a dictionary, before its value.");
        }
        if (frame.HasPreviousKey && key.SequenceCompareTo(frame.PreviousKey.WrittenSpan) <= 0)
        {
            throw new InvalidOperationException(
                $"Dictionary key '{Encoding.UTF8.GetString(key)}' is not greater than the previous key; bencoded " +
                "keys must be unique and sorted by raw bytes.");
        }
        frame.PreviousKey.Clear();
        frame.PreviousKey.Write(key);
        frame.HasPreviousKey = true;
        frame.ExpectKey = false;
        WriteRawString(key);
    }

    public void WriteKey(string key) => WriteKey(Encoding.UTF8.GetBytes(key));

    /// <summary>Copies an already-encoded value after checking that it is one canonical value.</summary>
    public void WriteEncodedValue(ReadOnlySpan<byte> encoded)
    {
        var reader = new BencodeReader(encoded);
        reader.ReadEncodedValue();
        reader.EnsureFinished();
        BeforeValue();
        _output.Write(encoded);
        AfterValue();
    }

    private void WriteEnd(bool isDictionary)
    {
        var frame = Current("an end");
        if (frame.IsDictionary != isDictionary)
        {
            throw new InvalidOperationException($"The open container is a {(frame.IsDictionary ? "dictionary" : "list")}.");
        }
        if (isDictionary && !frame.ExpectKey)
        {
            throw new InvalidOperationException("A dictionary key was written without a value.");
        }
        _frames.RemoveAt(_frames.Count - 1);
        WriteByte((byte)'e');
        AfterValue();
    }

    private void BeforeValue()
    {
        if (_frames.Count > 0 && _frames[^1] is { IsDictionary: true, ExpectKey: true })
        {
            throw new InvalidOperationException("A dictionary value must follow a key.");
        }
    }

    private void AfterValue()
    {
        if (_frames.Count > 0 && _frames[^1].IsDictionary)
        {
            _frames[^1].ExpectKey = true;
        }
    }

    private void WriteRawString(ReadOnlySpan<byte> value)
    {
        var span = _output.GetSpan(12);
        value.Length.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)':';
        _output.Advance(written + 1);
        _output.Write(value);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    private Frame Current(string what) =>
        _frames.Count > 0 ? _frames[^1] : throw new InvalidOperationException($"No open container for {what}.");

    private sealed class Frame(bool isDictionary)
    {
        public bool IsDictionary { get; } = isDictionary;
        public bool ExpectKey { get; set; } = true;
        public bool HasPreviousKey { get; set; }
        public ArrayBufferWriter<byte> PreviousKey { get; } = new(16);
    }
}
