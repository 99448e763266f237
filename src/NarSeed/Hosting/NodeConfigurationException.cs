namespace NarSeed.Hosting;

/// <summary>The node's configuration cannot be used; the message names the setting (and its flag) to fix.</summary>
public sealed class NodeConfigurationException(string message, Exception? innerException = null)
    : Exception(message, innerException);
