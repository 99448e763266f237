using Microsoft.Extensions.Options;

namespace NarSeed.Hosting;

/// <summary>The data-annotation rules of <see cref="NodeOptions"/> and its nested options, generated at build time.</summary>
[OptionsValidator]
public sealed partial class NodeOptionsValidator : IValidateOptions<NodeOptions>;
