using System.Text;

namespace NarSeed.Substitutes.Signatures;

public sealed partial class SExpression
{
    public static SExpression Parse(string text, SExpressionLimits? limits = null) =>
        Parse(Encoding.UTF8.GetBytes(text), limits);

    /// <summary>Parses exactly one s-expression; only whitespace may follow it.</summary>
    public static SExpression Parse(ReadOnlySpan<byte> input, SExpressionLimits? limits = null)
    {
        limits ??= SExpressionLimits.Default;
        if (input.Length > limits.MaxBytes)
        {
            throw new SExpressionFormatException(SExpressionErrorReason.TooLarge, 0,
                $"{input.Length} bytes exceeds MaxBytes = {limits.MaxBytes}.");
        }
        var parser = new Parser(input, limits);
        var result = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (!parser.AtEnd) throw parser.Error(SExpressionErrorReason.TrailingData, "data after the expression.");
        return result;
    }

    private ref struct Parser
    {
        private readonly ReadOnlySpan<byte> _input;
        private readonly SExpressionLimits _limits;
        private int _pos;
        private int _nodes;

        public Parser(ReadOnlySpan<byte> input, SExpressionLimits limits)
        {
            _input = input;
            _limits = limits;
        }

        public readonly bool AtEnd => _pos >= _input.Length;

        public readonly SExpressionFormatException Error(SExpressionErrorReason reason, string detail) => new(reason, _pos, detail);

        public void SkipWhitespace()
        {
            while (_pos < _input.Length && _input[_pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v')
            {
                _pos++;
            }
        }

        public SExpression ParseValue(int depth)
        {
            SkipWhitespace();
            if (AtEnd) throw Error(SExpressionErrorReason.UnexpectedEnd, "expected a value.");
            if (++_nodes > _limits.MaxNodes)
            {
                throw Error(SExpressionErrorReason.TooManyNodes, $"more than MaxNodes = {_limits.MaxNodes}.");
            }
            var c = _input[_pos];
            if (c == (byte)'(')
            {
                if (depth + 1 > _limits.MaxDepth)
                {
                    throw Error(SExpressionErrorReason.TooDeep, $"deeper than MaxDepth = {_limits.MaxDepth}.");
                }
                _pos++;
                var items = new List<SExpression>();
                while (true)
                {
                    SkipWhitespace();
                    if (AtEnd) throw Error(SExpressionErrorReason.UnbalancedParenthesis, "list not closed.");
                    if (_input[_pos] == (byte)')')
                    {
                        _pos++;
                        break;
                    }
                    items.Add(ParseValue(depth + 1));
                }
                if (items.Count == 0) throw Error(SExpressionErrorReason.EmptyList, "empty list.");
                return new SExpression(null, items.ToArray());
            }
            if (c == (byte)')') throw Error(SExpressionErrorReason.UnbalancedParenthesis, "unexpected ')'.");
            return new SExpression(ParseAtom(), null);
        }

        private byte[] ParseAtom()
        {
            var c = _input[_pos];
            if (c == (byte)'#') return ParseDelimited((byte)'#', SExpressionErrorReason.BadHex, hex: true);
            if (c == (byte)'|') return ParseDelimited((byte)'|', SExpressionErrorReason.BadBase64, hex: false);
            if (c == (byte)'"') return ParseString();
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                // Canonical "len:bytes", or a plain token that starts with a digit.
                var start = _pos;
                long length = 0;
                while (_pos < _input.Length && _input[_pos] is >= (byte)'0' and <= (byte)'9')
                {
                    length = length * 10 + (_input[_pos] - '0');
                    if (length > _input.Length) throw Error(SExpressionErrorReason.BadLength, "length beyond the input.");
                    _pos++;
                }
                if (_pos < _input.Length && _input[_pos] == (byte)':')
                {
                    _pos++;
                    if (length > _input.Length - _pos) throw Error(SExpressionErrorReason.BadLength, "length beyond the input.");
                    var bytes = _input.Slice(_pos, (int)length).ToArray();
                    _pos += (int)length;
                    return bytes;
                }
                _pos = start;
            }
            return ParseToken();
        }

        private byte[] ParseToken()
        {
            var start = _pos;
            while (_pos < _input.Length && IsTokenChar(_input[_pos])) _pos++;
            if (_pos == start) throw Error(SExpressionErrorReason.UnexpectedCharacter, $"unexpected byte 0x{_input[_pos]:x2}.");
            return _input[start.._pos].ToArray();
        }

        private byte[] ParseDelimited(byte delimiter, SExpressionErrorReason reason, bool hex)
        {
            var open = _pos++;
            var end = _input[_pos..].IndexOf(delimiter);
            if (end < 0) throw new SExpressionFormatException(reason, open, "not closed.");
            var body = Encoding.ASCII.GetString(_input.Slice(_pos, end)).Where(ch => !char.IsWhiteSpace(ch)).ToArray();
            _pos += end + 1;
            try
            {
                return hex ? Convert.FromHexString(body) : Convert.FromBase64CharArray(body, 0, body.Length);
            }
            catch (FormatException)
            {
                throw new SExpressionFormatException(reason, open, hex ? "not hexadecimal." : "not base64.");
            }
        }

        private byte[] ParseString()
        {
            var open = _pos++;
            var bytes = new List<byte>();
            while (true)
            {
                if (AtEnd) throw new SExpressionFormatException(SExpressionErrorReason.BadString, open, "string not closed.");
                var c = _input[_pos++];
                if (c == (byte)'"') return bytes.ToArray();
                if (c != (byte)'\\')
                {
                    bytes.Add(c);
                    continue;
                }
                if (AtEnd) throw new SExpressionFormatException(SExpressionErrorReason.BadString, open, "string not closed.");
                var e = _input[_pos++];
                bytes.Add(e switch
                {
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    (byte)'"' or (byte)'\\' or (byte)'\'' => e,
                    _ => throw new SExpressionFormatException(SExpressionErrorReason.BadString, _pos - 1, "unsupported escape."),
                });
            }
        }

        private static bool IsTokenChar(byte c) =>
            c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            || c is (byte)'-' or (byte)'.' or (byte)'/' or (byte)'_' or (byte)':' or (byte)'*' or (byte)'+' or (byte)'=';
    }
}
