using System.Reflection;
using System.Xml.Linq;

namespace Vigil.Architecture.Tests;

/// <summary>
/// The layering rule of DESIGN.md: pure projects never reach Linux, and only the executable joins the two.
/// Checked twice: on the project files (what we declare) and on the compiled assemblies (what we use).
/// </summary>
public class LayeringTests
{
    private static readonly string[] PureProjects = ["Vigil.Config", "Vigil.Vrrp", "Vigil.Checks", "Vigil.Balancing"];
    private const string LinuxProject = "Vigil.Linux";
    private const string Executable = "Vigil";

    public static TheoryData<string> Pure => new(PureProjects);

    [Theory]
    [MemberData(nameof(Pure))]
    public void PureProject_DoesNotReferenceLinux_InItsProjectFile(string project)
    {
        var closure = ProjectClosure(project);
        Assert.DoesNotContain(LinuxProject, closure);
    }

    [Theory]
    [MemberData(nameof(Pure))]
    public void PureAssembly_DoesNotReferenceLinux_WhenCompiled(string project)
    {
        var assembly = Assembly.Load(project);
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(LinuxProject, references);
    }

    [Fact]
    public void LinuxProject_ReferencesNoPureProject()
    {
        var closure = ProjectClosure(LinuxProject);
        Assert.Empty(closure.Intersect(PureProjects));
    }

    [Fact]
    public void OnlyTheExecutable_ReferencesBothPureProjectsAndLinux()
    {
        var offenders = SourceProjects()
            .Where(p => p != Executable)
            .Where(p =>
            {
                var closure = ProjectClosure(p);
                return closure.Contains(LinuxProject) && closure.Overlaps(PureProjects);
            })
            .ToList();
        Assert.Empty(offenders);
        var exe = ProjectClosure(Executable);
        Assert.Contains(LinuxProject, exe);
    }

    [Fact]
    public void EverySourceProject_IsCoveredByTheRule()
    {
        // A new src project must be classified here, or the rule silently stops covering it.
        var known = PureProjects.Append(LinuxProject).Append(Executable).ToHashSet();
        Assert.Equal(known.Order(), SourceProjects().Order());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Vigil.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceProjects() =>
        Directory.GetDirectories(Path.Combine(RepoRoot(), "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(d => Path.GetFileName(d)!);

    /// <summary>Every project reachable from <paramref name="project"/> through ProjectReference items.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(DirectReferences(project));
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var reference in DirectReferences(next))
                {
                    pending.Push(reference);
                }
            }
        }
        return seen;
    }

    private static IEnumerable<string> DirectReferences(string project)
    {
        var path = Path.Combine(RepoRoot(), "src", project, project + ".csproj");
        return XDocument.Load(path)
            .Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value));
    }
}
