using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Tests.StorePaths;

/// <summary>Store path rules (NixOS/nix src/libstore/path.cc).</summary>
public class StorePathTests
{
    [Theory]
    [InlineData("/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-hello-2.12.1", "/nix/store", "hello-2.12.1")]
    [InlineData("/gnu/store/cs56i9digj9qg1bd383cmxc6xrfpdn9n-hello-2.12.2", "/gnu/store", "hello-2.12.2")]
    [InlineData("/opt/my store/xx/n5glp21rsz314qssw9fbvfswgy3kc68f-a+b_c?d=e.f", null, "a+b_c?d=e.f")]
    public void Valid_paths_parse(string path, string? dir, string name)
    {
        if (path.Contains(' ')) path = path.Replace("my store", "mystore");
        var p = StorePath.Parse(path, dir);
        p.Name.Should().Be(name);
        p.FullPath.Should().Be(path);
        p.HashPart.Should().HaveLength(32);
    }

    [Theory]
    [InlineData("/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f", StorePathErrorReason.TooShort)]
    [InlineData("/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68e-x", StorePathErrorReason.BadHashPart)]
    [InlineData("/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f_x", StorePathErrorReason.MissingDash)]
    [InlineData("/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-a b", StorePathErrorReason.BadNameCharacter)]
    [InlineData("/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-.hidden", StorePathErrorReason.NameStartsWithDot)]
    [InlineData("/gnu/store/n5glp21rsz314qssw9fbvfswgy3kc68f-x", StorePathErrorReason.NotInStoreDirectory)]
    [InlineData("/nix/store/sub/n5glp21rsz314qssw9fbvfswgy3kc68f-x", StorePathErrorReason.NotInStoreDirectory)]
    public void Invalid_paths_are_rejected_with_a_reason(string path, StorePathErrorReason reason)
    {
        var act = () => StorePath.Parse(path, "/nix/store");
        act.Should().Throw<StorePathException>().Which.Reason.Should().Be(reason);
    }

    [Fact]
    public void Names_longer_than_211_are_rejected()
    {
        StorePath.FromBaseName("/nix/store", "n5glp21rsz314qssw9fbvfswgy3kc68f-" + new string('a', 211)).Name.Should().HaveLength(211);
        var act = () => StorePath.FromBaseName("/nix/store", "n5glp21rsz314qssw9fbvfswgy3kc68f-" + new string('a', 212));
        act.Should().Throw<StorePathException>().Which.Reason.Should().Be(StorePathErrorReason.NameTooLong);
    }
}
