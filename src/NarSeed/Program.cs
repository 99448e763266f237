using NarSeed.Cli;

// The composition root of the `narseed` command: every subcommand is built in Cli/ and runs through here.
return await NarSeedCommandLine.Build().Parse(args).InvokeAsync();
