using System.Diagnostics;
using Parley.Testing;

namespace Parley.Faults.Tests.Support;

/// <summary>
/// A data directory that can be filled: a small tmpfs when this process may mount one (root with CAP_SYS_ADMIN), else a
/// plain directory whose "disk full" is the store's injected fault (<c>Parley:Storage:FaultFile</c>).
/// </summary>
internal sealed class SmallDisk : IAsyncDisposable
{
    private const string FaultFileName = "store-fault";
    private readonly string _root;
    private string? _filler;

    private SmallDisk(string root, bool mounted)
    {
        _root = root;
        Mounted = mounted;
        DataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(DataDir);
    }

    /// <summary>True: a real tmpfs of limited size; false: the injected store fault stands in for it.</summary>
    public bool Mounted { get; }

    public string DataDir { get; }

    /// <summary>Server arguments this disk needs (the fault file, when the fault is injected).</summary>
    public IReadOnlyList<string> ServerArgs => Mounted ? [] : [$"--Parley:Storage:FaultFile={Path.Combine(_root, FaultFileName)}"];

    public static async Task<SmallDisk> CreateAsync(int megabytes)
    {
        var root = Directory.CreateTempSubdirectory("parley-disk-").FullName;
        // PARLEY_FAULTS_NO_MOUNT=1 takes the injected-fault path even where mounting works (to check that path).
        var mounted = Environment.GetEnvironmentVariable("PARLEY_FAULTS_NO_MOUNT") != "1"
            && await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", root) == 0;
        return new SmallDisk(root, mounted);
    }

    /// <summary>Fills the disk to the last byte (or switches the injected fault on); returns the bytes written.</summary>
    public async Task<long> FillAsync()
    {
        if (!Mounted)
        {
            await File.WriteAllTextAsync(Path.Combine(_root, FaultFileName), "full");
            return 0;
        }
        _filler = Path.Combine(_root, "filler");
        var chunk = new byte[1 << 16];
        long written = 0;
        await using var stream = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            // Bounded: a tmpfs of the size asked cannot take more than that.
            while (written < 1L << 32)
            {
                await stream.WriteAsync(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
        // Then the last partial chunk, in smaller and smaller writes.
        for (var size = 4096; size >= 1; size /= 2)
        {
            try
            {
                while (true)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, size));
                    written += size;
                }
            }
            catch (IOException)
            {
            }
        }
        return written;
    }

    public void Free()
    {
        if (!Mounted) File.Delete(Path.Combine(_root, FaultFileName));
        else if (_filler is not null) File.Delete(_filler);
    }

    public async ValueTask DisposeAsync()
    {
        if (Mounted) await RunAsync("umount", "-l", _root);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A lazily unmounted tmpfs may still be going away; the temporary directory is the system's to clean.
        }
    }

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30));
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
