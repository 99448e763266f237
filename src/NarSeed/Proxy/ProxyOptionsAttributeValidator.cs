using Microsoft.Extensions.Options;

namespace NarSeed.Proxy;

/// <summary>Generated validation of <see cref="ProxyOptions"/>' data annotations.</summary>
[OptionsValidator]
public sealed partial class ProxyOptionsAttributeValidator : IValidateOptions<ProxyOptions>;
