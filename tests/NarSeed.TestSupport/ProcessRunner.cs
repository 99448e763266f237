using System.Diagnostics;
using System.Text;

namespace NarSeed.TestSupport;

/// <summary>
/// Runs external programs (libtorrent scripts, nix, nginx, opentracker, …) with a hard time bound. A process that
/// outlives its bound is killed with its whole tree and the test fails with what it printed so far.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        await using var process = RunningProcess.Start(fileName, arguments, workingDirectory, environment,
            redirectInput: standardInput is not null);
        if (standardInput is not null)
        {
            await process.Process.StandardInput.WriteAsync(standardInput);
            process.Process.StandardInput.Close();
        }
        return await process.WaitForExitAsync(timeout, cancellationToken);
    }

    /// <summary>Runs a Python script with Debian's python3 (the one that sees python3-libtorrent).</summary>
    public static Task<ProcessResult> RunPythonAsync(
        string script, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(ExternalTool.Require(ExternalTool.DebianPython), new[] { "-c", script }.Concat(arguments), timeout,
            workingDirectory, cancellationToken: cancellationToken);
}

/// <summary>A started external process whose output is captured; disposing it kills the whole process tree.</summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private RunningProcess(Process process) => Process = process;

    public Process Process { get; }

    public string StandardOutputSoFar { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StandardErrorSoFar { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Raised for every line the process writes to standard output.</summary>
    public event Action<string>? OutputLine;

    public static RunningProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        bool redirectInput = false)
    {
        var info = new ProcessStartInfo(ExternalToolPath(fileName))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var running = new RunningProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (running._stdout) { running._stdout.AppendLine(e.Data); }
            running.OutputLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (running._stderr) { running._stderr.AppendLine(e.Data); }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits for a line of standard output that satisfies <paramref name="predicate"/>, within a bound.</summary>
    public async Task<string> WaitForOutputLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line) { if (predicate(line)) found.TrySetResult(line); }
        OutputLine += OnLine;
        try
        {
            if (FindSoFar(predicate) is { } early) return early;
            var exited = Process.WaitForExitAsync();
            var winner = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
            if (winner == found.Task || found.Task.IsCompleted) return await found.Task;
            // The line and the exit can arrive together, and WhenAny may name the exit: look once more.
            if (FindSoFar(predicate) is { } late) return late;
            throw new TimeoutException(
                $"{Process.StartInfo.FileName} {(winner == exited ? "exited" : "timed out")} before printing the expected line.\n" +
                $"--- stdout ---\n{StandardOutputSoFar}\n--- stderr ---\n{StandardErrorSoFar}");
        }
        finally
        {
            OutputLine -= OnLine;
        }
    }

    private string? FindSoFar(Func<string, bool> predicate) =>
        StandardOutputSoFar.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(predicate);

    public async Task<ProcessResult> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException(
                $"{Process.StartInfo.FileName} did not finish within {timeout}.\n" +
                $"--- stdout ---\n{StandardOutputSoFar}\n--- stderr ---\n{StandardErrorSoFar}");
        }
        Process.WaitForExit(); // drains the asynchronous output readers
        return new ProcessResult(Process.ExitCode, StandardOutputSoFar, StandardErrorSoFar);
    }

    public void Kill()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The kill was sent; nothing more a test can do.
        }
        Process.Dispose();
    }

    private static string ExternalToolPath(string fileName) =>
        fileName.Contains('/') ? fileName : ExternalTool.Require(fileName);
}
