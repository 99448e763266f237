namespace NarSeed.Substitutes.Signatures;

/// <summary>Why an s-expression was rejected.</summary>
public enum SExpressionErrorReason
{
    TooLarge,
    TooDeep,
    TooManyNodes,
    UnexpectedEnd,
    UnexpectedCharacter,
    UnbalancedParenthesis,
    BadHex,
    BadBase64,
    BadString,
    BadLength,
    TrailingData,
    EmptyList,
}
