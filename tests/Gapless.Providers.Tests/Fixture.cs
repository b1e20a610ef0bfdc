namespace Gapless.Providers.Tests;

/// <summary>Reads a recorded vendor payload from Fixtures/ (copied to the output folder).</summary>
internal static class Fixture
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
