using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace Vigil.Linux.Namespaces;

/// <summary>
/// A network namespace to create sockets in (keepalived's -s/--namespace, and tests acting inside
/// their lab namespaces). setns(2) moves only the calling thread, so this owns one dedicated thread
/// that enters the namespace once and runs the work handed to it. A socket keeps the namespace it was
/// created in, so only socket creation (and anything that resolves names in the namespace) needs
/// <see cref="Invoke{T}"/>; the socket can then be used from any thread.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>Where `ip netns add NAME` bind-mounts the namespace.</summary>
    public const string NamedNamespaceDirectory = "/run/netns";

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NetworkNamespace(string name, SafeFileHandle descriptor)
    {
        Name = name;
        _thread = new Thread(() => Run(descriptor))
        {
            IsBackground = true,
            Name = $"netns {name}",
        };
        _thread.Start();
        // Fail here, not on the first Invoke, if the namespace cannot be entered.
        _entered.Task.GetAwaiter().GetResult();
    }

    public string Name { get; }

    /// <summary>Opens a namespace by name (/run/netns/NAME). Throws <see cref="KernelException"/> if it cannot be entered.</summary>
    public static NetworkNamespace Open(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a namespace name.", nameof(name));
        }
        return OpenPath(Path.Combine(NamedNamespaceDirectory, name), name);
    }

    /// <summary>
    /// Moves the calling thread into the named namespace for good (keepalived's -s). Call it on the main
    /// thread before any other thread is started: threads and child processes inherit the namespace of the
    /// thread that creates them, so sockets, checkers, scripts and the metrics listener all live there.
    /// </summary>
    public static void EnterCurrentThread(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a namespace name.", nameof(name));
        }
        var path = Path.Combine(NamedNamespaceDirectory, name);
        SafeFileHandle descriptor;
        try
        {
            descriptor = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelException($"network namespace {path} does not exist", e);
        }
        using (descriptor)
        {
            if (Interop.Libc.SetNs(descriptor, Interop.Libc.CLONE_NEWNET) != 0)
            {
                throw KernelException.FromLastError($"setns({name}, CLONE_NEWNET)");
            }
        }
    }

    /// <summary>Opens a namespace by path, e.g. /proc/PID/ns/net.</summary>
    public static NetworkNamespace OpenPath(string path, string? name = null)
    {
        SafeFileHandle descriptor;
        try
        {
            descriptor = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (FileNotFoundException e)
        {
            throw new KernelException($"network namespace {path} does not exist", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new KernelException($"network namespace {path} does not exist", e);
        }
        return new NetworkNamespace(name ?? path, descriptor);
    }

    /// <summary>Runs <paramref name="action"/> inside the namespace and returns its result (exceptions propagate).</summary>
    public T Invoke<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Thread.CurrentThread == _thread)
        {
            return action();
        }
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try
                {
                    completion.SetResult(action());
                }
                catch (Exception e)
                {
                    completion.SetException(e);
                }
            });
        }
        catch (InvalidOperationException e)
        {
            throw new ObjectDisposedException($"network namespace {Name}", e);
        }
        return completion.Task.GetAwaiter().GetResult();
    }

    public void Invoke(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Invoke(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>Runs in <paramref name="ns"/>, or on the calling thread (in its namespace) when it is null.</summary>
    internal static T Within<T>(NetworkNamespace? ns, Func<T> action) => ns is null ? action() : ns.Invoke(action);

    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        _work.Dispose();
    }

    private void Run(SafeFileHandle descriptor)
    {
        using (descriptor)
        {
            if (Interop.Libc.SetNs(descriptor, Interop.Libc.CLONE_NEWNET) != 0)
            {
                _entered.SetException(KernelException.FromLastError($"setns({Name}, CLONE_NEWNET)"));
                _work.CompleteAdding();
                return;
            }
        }
        _entered.SetResult();
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
