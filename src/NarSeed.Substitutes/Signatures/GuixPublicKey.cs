namespace NarSeed.Substitutes.Signatures;

/// <summary>
/// A Guix signing key: <c>(public-key (ecc (curve Ed25519) (q #hex#)))</c> as in <c>/etc/guix/signing-key.pub</c> and
/// ACL entries (guix/pki.scm). Compared as s-expressions, as Guix's ACL check does.
/// </summary>
public sealed class GuixPublicKey
{
    private GuixPublicKey(SExpression expression) => Expression = expression;

    /// <summary>The <c>(public-key …)</c> s-expression.</summary>
    public SExpression Expression { get; }

    /// <summary>The <c>q</c> value of an ECC key, or null for other key types (e.g. RSA).</summary>
    public byte[]? Q => Expression.Find("ecc")?.AtomValue("q");

    /// <summary>The curve name of an ECC key.</summary>
    public string? Curve => Expression.Find("ecc")?.Find("curve") is { Items.Count: 2 } c ? c.Items[1].AtomText : null;

    /// <summary>Parses one <c>(public-key …)</c>.</summary>
    public static GuixPublicKey Parse(string text) => FromExpression(SExpression.Parse(text));

    public static GuixPublicKey FromExpression(SExpression expression)
    {
        if (expression.Head != "public-key" || expression.Items.Count != 2 || !expression.Items[1].IsList)
        {
            throw new SExpressionFormatException(SExpressionErrorReason.UnexpectedCharacter, 0, "not a (public-key …) expression.");
        }
        return new GuixPublicKey(expression);
    }

    /// <summary>Every <c>(public-key …)</c> in a key file or an ACL (<c>(acl (entry (public-key …) (tag …)) …)</c>).</summary>
    public static IReadOnlyList<GuixPublicKey> ParseAll(string text)
    {
        var keys = new List<GuixPublicKey>();
        Collect(SExpression.Parse(text), keys);
        if (keys.Count == 0)
        {
            throw new SExpressionFormatException(SExpressionErrorReason.UnexpectedCharacter, 0, "no (public-key …) found.");
        }
        return keys;
    }

    public bool SameKeyAs(SExpression other) => Expression.StructurallyEquals(other);

    private static void Collect(SExpression node, List<GuixPublicKey> keys)
    {
        if (node.Head == "public-key")
        {
            keys.Add(FromExpression(node));
            return;
        }
        if (!node.IsList) return;
        foreach (var item in node.Items) Collect(item, keys);
    }
}
