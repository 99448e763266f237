using System.CommandLine;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Cli;

/// <summary>`narseed key generate NAME`: a fresh Ed25519 key pair in Nix's <c>name:base64</c> form.</summary>
public static class KeyCommand
{
    public static Command Create()
    {
        var key = new Command("key", "Manage Nix signing keys.");
        var name = new Argument<string>("NAME") { Description = "Key name, e.g. narseed.example.org-1." };
        var secretFile = new Option<FileInfo?>("--secret-key-file")
        {
            Description = "Write the secret key to this file (mode 0600) instead of standard output.",
        };
        var generate = new Command("generate", "Generate a key pair; prints the secret key, then the public key.");
        generate.Arguments.Add(name);
        generate.Options.Add(secretFile);
        generate.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var keyName = parseResult.GetValue(name)!;
            NixSecretKey secret;
            try
            {
                secret = NixSecretKey.Generate(keyName);
            }
            catch (ArgumentException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return 2;
            }
            if (parseResult.GetValue(secretFile) is { } file)
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                await using (var stream = new FileStream(file.FullName, options))
                await using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(secret.ToString().AsMemory(), cancellationToken);
                }
            }
            else
            {
                await output.WriteLineAsync(secret.ToString());
            }
            await output.WriteLineAsync(secret.PublicKey.ToString());
            return 0;
        });
        key.Subcommands.Add(generate);
        return key;
    }
}
