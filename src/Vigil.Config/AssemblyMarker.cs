namespace Vigil.Config;

/// <summary>Names this assembly for architecture tests and reflection-free lookups.</summary>
public static class AssemblyMarker;
