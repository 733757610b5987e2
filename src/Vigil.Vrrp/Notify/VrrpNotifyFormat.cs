using Vigil.Vrrp.Fsm;

namespace Vigil.Vrrp.Notify;

/// <summary>Whether a notification is about an instance or a sync group (the first appended argument).</summary>
public enum VrrpNotifySubject
{
    Instance,
    Group,
}

/// <summary>keepalived's notify formats: the arguments appended to a `notify` script and the notify_fifo line.</summary>
public static class VrrpNotifyFormat
{
    /// <summary>The state word keepalived uses (MASTER, BACKUP, FAULT, STOP; INIT is never notified).</summary>
    public static string StateName(VrrpState state) => state switch
    {
        VrrpState.Master => "MASTER",
        VrrpState.Backup => "BACKUP",
        VrrpState.Fault => "FAULT",
        VrrpState.Stop => "STOP",
        _ => "INIT",
    };

    /// <summary>INSTANCE or GROUP.</summary>
    public static string SubjectName(VrrpNotifySubject subject) => subject == VrrpNotifySubject.Group ? "GROUP" : "INSTANCE";

    /// <summary>The four arguments keepalived appends to the `notify` script: INSTANCE|GROUP name state priority.</summary>
    public static IReadOnlyList<string> NotifyArguments(VrrpNotifySubject subject, string name, VrrpState state, int priority) =>
        [SubjectName(subject), name, StateName(state), priority.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>One notify_fifo line without the newline: <c>INSTANCE "VI_1" MASTER 100</c>.</summary>
    public static string FifoLine(VrrpNotifySubject subject, string name, VrrpState state, int priority) =>
        FormattableString.Invariant($"{SubjectName(subject)} \"{name}\" {StateName(state)} {priority}");

    /// <summary>The state-specific script (notify_master / _backup / _fault / _stop) for <paramref name="state"/>, or null.</summary>
    public static string? StateScript(VrrpState state, string? master, string? backup, string? fault, string? stop) => state switch
    {
        VrrpState.Master => master,
        VrrpState.Backup => backup,
        VrrpState.Fault => fault,
        VrrpState.Stop => stop,
        _ => null,
    };
}
