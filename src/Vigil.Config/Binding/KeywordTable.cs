namespace Vigil.Config.Binding;

/// <summary>Every keyword vigil knows, per block, read from the binders' maps (the single source of truth).</summary>
internal static class KeywordTable
{
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Blocks { get; } = Build();

    private static Dictionary<string, IReadOnlyCollection<string>> Build()
    {
        var blocks = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["(root)"] = ConfigBinder.RootKeywords.ToList(),
            [GlobalDefsBinder.Map.Block] = GlobalDefsBinder.Map.Keywords.ToList(),
            [VrrpInstanceBinder.Map.Block] = VrrpInstanceBinder.Map.Keywords.ToList(),
            ["authentication"] = ["auth_type", "auth_pass"],
            ["track_group"] = ["group"],
            ["SSL"] = ["password", "ca", "certificate", "key"],
            [TrackingBinder.ScriptMap.Block] = TrackingBinder.ScriptMap.Keywords.ToList(),
            [TrackingBinder.FileMap.Block] = TrackingBinder.FileMap.Keywords.ToList(),
            [TrackingBinder.ProcessMap.Block] = TrackingBinder.ProcessMap.Keywords.ToList(),
            [TrackingBinder.BfdMap.Block] = TrackingBinder.BfdMap.Keywords.ToList(),
            [TrackingBinder.GarpMap.Block] = TrackingBinder.GarpMap.Keywords.ToList(),
            [TrackingBinder.SyncGroupMap.Block] = TrackingBinder.SyncGroupMap.Keywords.ToList(),
            [LvsBinder.VirtualServerMap.Block] = LvsBinder.VirtualServerMap.Keywords.ToList(),
            [LvsBinder.RealServerMap.Block] = LvsBinder.RealServerMap.Keywords.ToList(),
            [CheckerBinder.UrlMap.Block] = CheckerBinder.UrlMap.Keywords.ToList(),
        };
        foreach (var (name, map) in CheckerBinder.AllMaps)
        {
            blocks[name] = map.Keywords.ToList();
        }
        return blocks;
    }

    public static bool IsKnown(string keyword) => Blocks.Values.Any(b => b.Contains(keyword));
}
