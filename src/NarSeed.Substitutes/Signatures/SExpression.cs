using System.Text;

namespace NarSeed.Substitutes.Signatures;

/// <summary>
/// An s-expression as libgcrypt and Guix write them: a list of s-expressions or an atom (bytes). Parses the canonical
/// form (<c>3:abc</c>) and the advanced form (tokens, <c>#hex#</c>, <c>"strings"</c>, <c>|base64|</c>).
/// </summary>
public sealed partial class SExpression
{
    private readonly byte[]? _atom;
    private readonly SExpression[]? _items;

    private SExpression(byte[]? atom, SExpression[]? items)
    {
        _atom = atom;
        _items = items;
    }

    public bool IsAtom => _atom is not null;

    public bool IsList => _items is not null;

    public ReadOnlySpan<byte> Atom => _atom ?? throw new InvalidOperationException("Not an atom.");

    public IReadOnlyList<SExpression> Items => _items ?? throw new InvalidOperationException("Not a list.");

    public static SExpression FromAtom(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    public static SExpression FromAtom(string token) => new(Encoding.UTF8.GetBytes(token), null);

    public static SExpression FromList(params SExpression[] items) => new(null, items.ToArray());

    /// <summary>The atom as ASCII text (for tokens such as <c>ecdsa</c>), or null for a list.</summary>
    public string? AtomText => _atom is null ? null : Encoding.ASCII.GetString(_atom);

    /// <summary>For a list whose first item is a token: that token.</summary>
    public string? Head => _items is { Length: > 0 } && _items[0].IsAtom ? _items[0].AtomText : null;

    /// <summary>The first direct child list whose head is <paramref name="name"/>.</summary>
    public SExpression? Find(string name) => _items?.FirstOrDefault(i => i.Head == name);

    /// <summary>The first list with head <paramref name="name"/> anywhere below (depth-first), including this one.</summary>
    public SExpression? FindDeep(string name)
    {
        if (Head == name) return this;
        if (_items is null) return null;
        foreach (var item in _items)
        {
            if (item.FindDeep(name) is { } found) return found;
        }
        return null;
    }

    /// <summary>The second element of the child list <paramref name="name"/> when it is an atom, e.g. <c>(q #..#)</c>.</summary>
    public byte[]? AtomValue(string name) =>
        Find(name) is { _items: { Length: 2 } items } && items[1].IsAtom ? items[1]._atom : null;

    /// <summary>The canonical encoding (<c>(1:a3:bcd)</c>), the form libgcrypt's <c>gcry_sexp_sscan</c> accepts exactly.</summary>
    public byte[] ToCanonical()
    {
        using var stream = new MemoryStream();
        WriteCanonical(stream);
        return stream.ToArray();
    }

    public bool StructurallyEquals(SExpression other)
    {
        if (IsAtom != other.IsAtom) return false;
        if (IsAtom) return _atom.AsSpan().SequenceEqual(other._atom);
        return _items!.Length == other._items!.Length && _items.Zip(other._items).All(p => p.First.StructurallyEquals(p.Second));
    }

    private void WriteCanonical(Stream stream)
    {
        if (_atom is not null)
        {
            stream.Write(Encoding.ASCII.GetBytes(_atom.Length + ":"));
            stream.Write(_atom);
            return;
        }
        stream.WriteByte((byte)'(');
        foreach (var item in _items!) item.WriteCanonical(stream);
        stream.WriteByte((byte)')');
    }
}
