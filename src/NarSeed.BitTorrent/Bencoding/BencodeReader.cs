namespace NarSeed.BitTorrent.Bencoding;

/// <summary>
/// A strict, forward-only bencode decoder over one complete buffer, in the style of <c>Utf8JsonReader</c>. It accepts
/// canonical form only: integers without leading zeros or <c>-0</c>, dictionary keys that are byte strings, unique
/// and sorted by raw bytes. Every limit comes from <see cref="BencodeLimits"/>. Malformed input throws
/// <see cref="BencodeException"/>; misuse (reading the wrong kind of token) throws
/// <see cref="InvalidOperationException"/>. A read that throws leaves the reader exactly where it was.
/// </summary>
public ref partial struct BencodeReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly BencodeLimits _limits;
    private Frame[]? _frames;
    private int _position;
    private int _depth;
    private int _items;
    private bool _finished;

    public BencodeReader(ReadOnlySpan<byte> data, BencodeLimits? limits = null)
    {
        _limits = limits ?? BencodeLimits.Default;
        if (data.Length > _limits.MaxTotalLength)
        {
            throw new BencodeException(BencodeErrorReason.InputTooLong, _limits.MaxTotalLength,
                $"{data.Length} bytes, limit {_limits.MaxTotalLength}");
        }
        _data = data;
    }

    /// <summary>Bytes read so far; also the offset of the next token.</summary>
    public readonly int BytesConsumed => _position;

    public readonly int BytesRemaining => _data.Length - _position;

    /// <summary>How many lists and dictionaries are open.</summary>
    public readonly int CurrentDepth => _depth;

    /// <summary>True once the single top-level value has been read.</summary>
    public readonly bool IsFinished => _finished;

    /// <summary>True when the reader is inside a dictionary and the next token must be a key.</summary>
    public readonly bool IsAtKey => _depth > 0 && _frames![_depth - 1].IsDictionary && _frames[_depth - 1].ExpectKey;

    /// <summary>
    /// What the next token is, without consuming it. Throws <see cref="BencodeException"/> when the next bytes cannot
    /// be a token here (a bad byte, the end of input, trailing data, or a non-string where a key belongs).
    /// </summary>
    public readonly BencodeTokenType PeekToken()
    {
        if (_finished)
        {
            if (_position < _data.Length)
            {
                throw new BencodeException(BencodeErrorReason.TrailingData, _position);
            }
            return BencodeTokenType.Finished;
        }
        if (_position >= _data.Length)
        {
            throw new BencodeException(BencodeErrorReason.UnexpectedEnd, _position);
        }
        var token = _data[_position] switch
        {
            (byte)'i' => BencodeTokenType.Integer,
            (byte)'l' => BencodeTokenType.StartList,
            (byte)'d' => BencodeTokenType.StartDictionary,
            (byte)'e' when _depth > 0 => BencodeTokenType.EndContainer,
            >= (byte)'0' and <= (byte)'9' => BencodeTokenType.String,
            _ => throw new BencodeException(BencodeErrorReason.UnexpectedByte, _position,
                $"byte 0x{_data[_position]:x2}"),
        };
        if (IsAtKey && token is not (BencodeTokenType.String or BencodeTokenType.EndContainer))
        {
            throw new BencodeException(BencodeErrorReason.KeyNotString, _position);
        }
        if (token == BencodeTokenType.EndContainer && _frames![_depth - 1] is { IsDictionary: true, ExpectKey: false })
        {
            throw new BencodeException(BencodeErrorReason.MissingValue, _position);
        }
        return token;
    }

    /// <summary>Throws unless the top-level value has been read and no bytes follow it.</summary>
    public readonly void EnsureFinished()
    {
        if (!_finished)
        {
            throw new InvalidOperationException("The top-level value has not been read completely.");
        }
        if (_position < _data.Length)
        {
            throw new BencodeException(BencodeErrorReason.TrailingData, _position);
        }
    }

    /// <summary>Reads an integer value. Integers cannot be dictionary keys.</summary>
    public long ReadInteger()
    {
        ExpectToken(BencodeTokenType.Integer);
        if (IsAtKey)
        {
            throw new BencodeException(BencodeErrorReason.KeyNotString, _position);
        }
        var (value, end) = ParseInteger(_data, _position);
        CountItem();
        _items++;
        _position = end;
        ValueCompleted();
        return value;
    }

    /// <summary>
    /// Reads a byte string (a value, or a key when <see cref="IsAtKey"/>). Keys are checked to be greater than the
    /// key before them. The span points into the input.
    /// </summary>
    public ReadOnlySpan<byte> ReadString()
    {
        ExpectToken(BencodeTokenType.String);
        var (start, length) = ParseStringHeader(_position);
        var value = _data.Slice(start, length);
        var atKey = IsAtKey;
        if (atKey)
        {
            ref var frame = ref _frames![_depth - 1];
            if (frame.PreviousKeyStart >= 0 && _limits.RequireSortedKeys)
            {
                var order = value.SequenceCompareTo(_data.Slice(frame.PreviousKeyStart, frame.PreviousKeyLength));
                if (order <= 0)
                {
                    throw new BencodeException(
                        order == 0 ? BencodeErrorReason.DuplicateKey : BencodeErrorReason.UnsortedKeys, _position);
                }
            }
        }
        CountItem();
        _items++;
        _position = start + length;
        if (atKey)
        {
            ref var frame = ref _frames![_depth - 1];
            frame.PreviousKeyStart = start;
            frame.PreviousKeyLength = length;
            frame.ExpectKey = false;
        }
        else
        {
            ValueCompleted();
        }
        return value;
    }

    public void ReadStartList() => ReadStart(BencodeTokenType.StartList, isDictionary: false);

    public void ReadStartDictionary() => ReadStart(BencodeTokenType.StartDictionary, isDictionary: true);

    /// <summary>Reads the <c>e</c> closing a list.</summary>
    public void ReadEndList() => ReadEnd(isDictionary: false);

    /// <summary>Reads the <c>e</c> closing a dictionary.</summary>
    public void ReadEndDictionary() => ReadEnd(isDictionary: true);

    /// <summary>Consumes the end of the current list and returns true, or returns false if a value follows.</summary>
    public bool TryReadEndList()
    {
        if (PeekToken() != BencodeTokenType.EndContainer) return false;
        ReadEndList();
        return true;
    }

    /// <summary>Consumes the end of the current dictionary and returns true, or returns false if a key follows.</summary>
    public bool TryReadEndDictionary()
    {
        if (PeekToken() != BencodeTokenType.EndContainer) return false;
        ReadEndDictionary();
        return true;
    }

    private void ReadStart(BencodeTokenType token, bool isDictionary)
    {
        ExpectToken(token);
        if (IsAtKey)
        {
            throw new BencodeException(BencodeErrorReason.KeyNotString, _position);
        }
        if (_depth >= _limits.MaxDepth)
        {
            throw new BencodeException(BencodeErrorReason.DepthExceeded, _position, $"limit {_limits.MaxDepth}");
        }
        CountItem();
        EnsureFrameCapacity();
        _items++;
        _frames![_depth] = new Frame { IsDictionary = isDictionary, ExpectKey = true, PreviousKeyStart = -1 };
        _depth++;
        _position++;
    }

    private void ReadEnd(bool isDictionary)
    {
        ExpectToken(BencodeTokenType.EndContainer);
        var frame = _frames![_depth - 1];
        if (frame.IsDictionary != isDictionary)
        {
            throw new InvalidOperationException(
                $"The open container is a {(frame.IsDictionary ? "dictionary" : "list")}.");
        }
        if (frame.IsDictionary && !frame.ExpectKey)
        {
            throw new BencodeException(BencodeErrorReason.MissingValue, _position);
        }
        _depth--;
        _position++;
        ValueCompleted();
    }

    private readonly void ExpectToken(BencodeTokenType expected)
    {
        var actual = PeekToken();
        if (actual != expected)
        {
            throw new InvalidOperationException($"Expected {expected} at offset {_position} but found {actual}.");
        }
    }

    private readonly void CountItem()
    {
        if (_items >= _limits.MaxItems)
        {
            throw new BencodeException(BencodeErrorReason.TooManyItems, _position, $"limit {_limits.MaxItems}");
        }
    }

    private void ValueCompleted()
    {
        if (_depth == 0)
        {
            _finished = true;
        }
        else if (_frames![_depth - 1].IsDictionary)
        {
            _frames[_depth - 1].ExpectKey = true;
        }
    }

    private void EnsureFrameCapacity()
    {
        if (_frames is null)
        {
            _frames = new Frame[Math.Min(_limits.MaxDepth, 8)];
        }
        else if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, Math.Min(_limits.MaxDepth, _frames.Length * 2));
        }
    }

    private struct Frame
    {
        public bool IsDictionary;
        public bool ExpectKey;
        public int PreviousKeyStart;
        public int PreviousKeyLength;
    }
}
