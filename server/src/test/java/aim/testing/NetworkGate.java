package aim.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * "No signal" for a browser test: a TCP relay on loopback in front of the test server that the test can
 * cut. A browser that reaches the server through {@link #url} loses every connection at once when the gate
 * is cut, and new ones are refused until it is opened again, whichever part of the browser makes the
 * request (the page or its service worker). DevTools' offline emulation is set per target (the page),
 * so a service worker could still reach the network: tests use both, the emulation for what the page
 * sees ({@code navigator.onLine}, the online event) and the gate for what reaches the server.
 */
public final class NetworkGate implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "network-gate");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean cut;

    /** A gate in front of {@code targetPort} on loopback, open. */
    public NetworkGate(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    /** The URL of {@code path} through the gate (host {@code localhost}, the gate's port). */
    public String url(String path) {
        return origin() + path;
    }

    /** {@code http://localhost:port} of the gate: the origin a browser using {@link #url} is on. */
    public String origin() {
        return "http://localhost:" + listener.getLocalPort();
    }

    /** Cuts every open connection and refuses new ones (true), or lets connections through again (false). */
    public void cut(boolean cut) {
        this.cut = cut;
        if (cut) open.forEach(NetworkGate::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                threads.submit(() -> relay(client, server));
                threads.submit(() -> relay(server, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void relay(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[1 << 14];
            for (int n; !cut && (n = in.read(buffer)) >= 0; ) {
                if (cut) break;
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away, or the gate was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // a reset, as a dropped line looks to the browser
        } catch (IOException ignored) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut(true);
        listener.close();
        threads.shutdownNow();
    }
}
