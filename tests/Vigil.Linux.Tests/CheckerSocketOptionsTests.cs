using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Vigil.Linux.Sockets;

namespace Vigil.Linux.Tests;

public class CheckerSocketOptionsTests
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SoMark = 36;

    [Fact]
    public void Apply_BindInterfaceAndMark_TheKernelReportsThemBack()
    {
        Assert.SkipUnless(Environment.UserName == "root", "SO_MARK needs CAP_NET_ADMIN");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        CheckerSocketOptions.Apply(socket, "lo", 0x2a);

        var mark = new byte[4];
        socket.GetRawSocketOption(SolSocket, SoMark, mark);
        Assert.Equal(0x2a, BinaryPrimitives.ReadInt32LittleEndian(mark));
        var device = new byte[16];
        var length = socket.GetRawSocketOption(SolSocket, SoBindToDevice, device);
        Assert.Equal("lo", Encoding.ASCII.GetString(device, 0, length).TrimEnd('\0'));
    }

    [Fact]
    public void Apply_UnknownInterface_IsAKernelErrorNamingIt()
    {
        Assert.SkipUnless(Environment.UserName == "root", "SO_BINDTODEVICE needs CAP_NET_RAW");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var e = Assert.Throws<KernelException>(() => CheckerSocketOptions.Apply(socket, "nosuchdev0", null));
        Assert.Contains("nosuchdev0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NothingAsked_LeavesTheSocketAlone()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        CheckerSocketOptions.Apply(socket, null, null);
        var mark = new byte[4];
        socket.GetRawSocketOption(SolSocket, SoMark, mark);
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(mark));
    }
}
