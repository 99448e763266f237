namespace NarSeed.Substitutes.Tests;

public class NativeLibraryCheckTests
{
    [Fact]
    public void A_missing_library_names_the_package_to_install()
    {
        var act = () => NativeLibraryCheck.Require("libnarseed-missing.so.9", "narseed-missing-pkg", "a test");
        act.Should().Throw<DllNotFoundException>().WithMessage("*libnarseed-missing.so.9*narseed-missing-pkg*");
    }

    [Theory]
    [InlineData("libsodium.so.23")]
    [InlineData("libgcrypt.so.20")]
    [InlineData("liblzma.so.5")]
    [InlineData("libzstd.so.1")]
    [InlineData("libbz2.so.1.0")]
    public void The_five_native_libraries_are_present(string soname) =>
        NativeLibraryCheck.Require(soname, "-", "a test");
}
