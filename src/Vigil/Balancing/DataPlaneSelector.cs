using Vigil.Linux.Ipvs;
using Vigil.Linux.Namespaces;

namespace Vigil.Balancing;

/// <summary>Chooses the data plane: IPVS when the kernel has the family (or ip_vs loads), else nftables.</summary>
internal static class DataPlaneSelector
{
    public static bool TryParse(string? text, out DataPlaneChoice choice)
    {
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "auto": choice = DataPlaneChoice.Auto; return true;
            case "ipvs": choice = DataPlaneChoice.Ipvs; return true;
            case "nftables" or "nft": choice = DataPlaneChoice.Nftables; return true;
            default: choice = DataPlaneChoice.Auto; return false;
        }
    }

    /// <summary>Opens the chosen data plane. Forcing ipvs on a kernel without it is a <see cref="Vigil.Linux.KernelException"/>.</summary>
    public static IDataPlane Create(DataPlaneChoice choice, NetworkNamespace? networkNamespace = null)
    {
        if (choice != DataPlaneChoice.Nftables)
        {
            var ipvs = IpvsClient.TryOpen(networkNamespace);
            if (ipvs is not null) return new IpvsBackend(ipvs);
            if (choice == DataPlaneChoice.Ipvs)
                throw new Vigil.Linux.KernelException("vigil_dataplane ipvs: the kernel has no IPVS generic netlink family (modprobe ip_vs)");
        }
        return new NftablesBackend(networkNamespace);
    }
}
