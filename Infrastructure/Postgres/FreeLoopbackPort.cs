using System.Net;
using System.Net.Sockets;

namespace CartGraph.Infrastructure.Postgres;

public static class FreeLoopbackPort
{
    /// <summary>A port the OS considers free right now; someone may still take it before we bind it.</summary>
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
