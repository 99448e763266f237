namespace NarSeed.BitTorrent.Bencoding;

public ref partial struct BencodeReader
{
    /// <summary>
    /// Reads the next value whole — scalar, list or dictionary, fully validated — and returns its exact encoded bytes
    /// (e.g. the <c>info</c> dictionary, whose hash is the info-hash). On failure nothing has moved.
    /// </summary>
    public ReadOnlySpan<byte> ReadEncodedValue()
    {
        if (IsAtKey)
        {
            throw new InvalidOperationException("A dictionary key must be read with ReadString.");
        }
        if (PeekToken() is BencodeTokenType.EndContainer or BencodeTokenType.Finished)
        {
            throw new InvalidOperationException($"No value starts at offset {_position}.");
        }
        var start = _position;
        var startDepth = _depth;
        var items = _items;
        Frame saved = startDepth > 0 ? _frames![startDepth - 1] : default;
        try
        {
            do
            {
                switch (PeekToken())
                {
                    case BencodeTokenType.Integer: ReadInteger(); break;
                    case BencodeTokenType.String: ReadString(); break;
                    case BencodeTokenType.StartList: ReadStartList(); break;
                    case BencodeTokenType.StartDictionary: ReadStartDictionary(); break;
                    default: ReadEnd(_frames![_depth - 1].IsDictionary); break;
                }
            }
            while (_depth > startDepth);
        }
        catch
        {
            _position = start;
            _depth = startDepth;
            _items = items;
            _finished = false;
            if (startDepth > 0) _frames![startDepth - 1] = saved;
            throw;
        }
        return _data[start.._position];
    }

    /// <summary>Skips the next value (validating it).</summary>
    public void SkipValue() => ReadEncodedValue();

    /// <summary>Parses <c>i…e</c> at <paramref name="offset"/>; returns the value and the offset after the <c>e</c>.</summary>
    private static (long Value, int End) ParseInteger(ReadOnlySpan<byte> data, int offset)
    {
        var i = offset + 1;
        var negative = i < data.Length && data[i] == (byte)'-';
        if (negative) i++;
        var digitsStart = i;
        ulong magnitude = 0;
        while (i < data.Length && data[i] is >= (byte)'0' and <= (byte)'9')
        {
            var digit = (ulong)(data[i] - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                throw new BencodeException(BencodeErrorReason.IntegerOverflow, offset);
            }
            magnitude = magnitude * 10 + digit;
            i++;
        }
        if (i >= data.Length)
        {
            throw new BencodeException(BencodeErrorReason.UnexpectedEnd, i);
        }
        var digits = i - digitsStart;
        if (data[i] != (byte)'e' || digits == 0)
        {
            throw new BencodeException(BencodeErrorReason.InvalidInteger, offset, "expected digits then 'e'");
        }
        if (digits > 1 && data[digitsStart] == (byte)'0')
        {
            throw new BencodeException(BencodeErrorReason.InvalidInteger, offset, "leading zero");
        }
        if (negative && magnitude == 0)
        {
            throw new BencodeException(BencodeErrorReason.InvalidInteger, offset, "negative zero");
        }
        long value;
        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                throw new BencodeException(BencodeErrorReason.IntegerOverflow, offset);
            }
            value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
        }
        else
        {
            if (magnitude > long.MaxValue)
            {
                throw new BencodeException(BencodeErrorReason.IntegerOverflow, offset);
            }
            value = (long)magnitude;
        }
        return (value, i + 1);
    }

    /// <summary>Parses <c>N:</c> at <paramref name="offset"/>; checks N against the limit and the bytes left.</summary>
    private readonly (int Start, int Length) ParseStringHeader(int offset)
    {
        var i = offset;
        long length = 0;
        while (i < _data.Length && _data[i] is >= (byte)'0' and <= (byte)'9')
        {
            length = length * 10 + (_data[i] - '0');
            if (length > _limits.MaxStringLength)
            {
                throw new BencodeException(BencodeErrorReason.StringTooLong, offset,
                    $"limit {_limits.MaxStringLength}");
            }
            i++;
        }
        if (i >= _data.Length)
        {
            throw new BencodeException(BencodeErrorReason.UnexpectedEnd, i);
        }
        if (_data[i] != (byte)':')
        {
            throw new BencodeException(BencodeErrorReason.InvalidStringLength, offset, "expected ':'");
        }
        if (i - offset > 1 && _data[offset] == (byte)'0')
        {
            throw new BencodeException(BencodeErrorReason.InvalidStringLength, offset, "leading zero");
        }
        var start = i + 1;
        if (length > _data.Length - start)
        {
            throw new BencodeException(BencodeErrorReason.UnexpectedEnd, offset,
                $"string of {length} bytes, {_data.Length - start} left");
        }
        return (start, (int)length);
    }
}
