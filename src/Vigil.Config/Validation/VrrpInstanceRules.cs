using Vigil.Config.Binding;

namespace Vigil.Config;

/// <summary>keepalived's checks and adjustments of one vrrp_instance (vrrp_parser.c end handler and
/// vrrp_complete_instance), with its messages. Applying them twice changes nothing.</summary>
internal static class VrrpInstanceRules
{
    public static VrrpInstanceConfig Apply(BindContext ctx, VrrpInstanceConfig c, SourceLocation at)
    {
        var d = ctx.Diagnostics;
        var name = c.Name;

        // The first VIP decides the family; keepalived refuses mixed families in one instance (RFC 5798 §5.2.9).
        if (c.VirtualIpAddresses.Count > 1)
        {
            var v6 = c.VirtualIpAddresses[0].IsIPv6;
            var kept = new List<VirtualAddressConfig>();
            foreach (var vip in c.VirtualIpAddresses)
            {
                if (vip.IsIPv6 != v6)
                {
                    d.Warning(ctx.LocationOf(vip) is { Line: > 0 } l ? l : at, $"({name}): address family must match VRRP instance [{vip.Address}] - ignoring");
                    continue;
                }
                kept.Add(vip);
            }
            c = c with { VirtualIpAddresses = kept.ToEquatableArray() };
        }
        if (c.IsIPv6 && c.Version == 2)
        {
            // keepalived compat: IPv6 always uses VRRPv3.
            c = c with { Version = 3 };
        }
        if (c.VirtualIpAddresses.IsEmpty && !c.NoVirtualIpAddress)
        {
            d.Warning(at, $"({name}) No VIP specified; at least one is sensible");
        }

        if (c.Version == 2 && c.AdvertInterval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            var rounded = Math.Max(1, Math.Round(c.AdvertInterval.TotalSeconds, MidpointRounding.AwayFromZero));
            d.Warning(at, $"({name}) VRRPv2 advertisement interval {c.AdvertInterval.TotalSeconds:0.000000}s must be an integer. rounding");
            c = c with { AdvertInterval = TimeSpan.FromSeconds(rounded) };
        }
        else if (c.Version == 3 && c.AdvertInterval > TimeSpan.FromSeconds(40.95))
        {
            d.Warning(at, $"({name}) VRRPv3 advertisement interval {c.AdvertInterval.TotalSeconds}s is above 40.95s (RFC 5798 §5.2.7) - using 40.95");
            c = c with { AdvertInterval = TimeSpan.FromSeconds(40.95) };
        }

        if (c.Authentication is { } auth)
        {
            if (c.StrictMode)
            {
                d.Warning(at, $"({name}) Strict mode does not support authentication. Ignoring.");
                c = c with { Authentication = null };
            }
            else if (c.Version == 3)
            {
                d.Warning(at, $"({name}) VRRPv3 does not support authentication (RFC 5798 §9). Ignoring.");
                c = c with { Authentication = null };
            }
            else if (auth.Type == VrrpAuthType.Ah && c.IsIPv6)
            {
                d.Warning(at, $"({name}) AH authentication is not supported with IPv6. Ignoring.");
                c = c with { Authentication = null };
            }
            else if (auth.Type == VrrpAuthType.Ah && c.State == VrrpState.Master && c.Priority != 255)
            {
                d.Warning(at, $"({name}) Initial state master is incompatible with AH authentication - clearing");
                c = c with { State = VrrpState.Backup };
            }
        }

        if (c.Nopreempt && c.Priority == 255)
        {
            d.Warning(at, $"({name}) nopreempt is incompatible with priority 255. resetting nopreempt");
            c = c with { Nopreempt = false };
        }
        else if (c.Nopreempt && c.State == VrrpState.Master)
        {
            d.Warning(at, $"({name}) Warning - nopreempt will not work with initial state MASTER - clearing");
            c = c with { Nopreempt = false };
        }
        if (c.PreemptDelay > TimeSpan.Zero)
        {
            string? why = c.State == VrrpState.Master ? "initial state MASTER"
                : c.Nopreempt ? "nopreempt"
                : c.StrictMode ? "strict mode" : null;
            if (why is not null)
            {
                d.Warning(at, $"({name}) preempt_delay is incompatible with {why} - clearing");
                c = c with { PreemptDelay = TimeSpan.Zero };
            }
        }

        if (c.StrictMode)
        {
            // keepalived compat: strict mode forces these silently.
            c = c with
            {
                Accept = c.Accept && c.Version == 3 && c.Priority == 255,
                GarpLowerPrioRepeat = 0,
                LowerPrioNoAdvert = true,
                HigherPrioSendAdvert = false,
                DownTimerAdverts = 3,
                OwnerIgnoreAdverts = c.OwnerIgnoreAdverts || c.Priority == 255,
            };
        }
        if (c.UseVmac is not null && !c.UnicastPeers.IsEmpty && !c.VmacXmitBase)
        {
            d.Warning(at, $"({name}) use_vmac with unicast peers needs vmac_xmit_base - setting it");
            c = c with { VmacXmitBase = true };
        }
        return c;
    }
}
