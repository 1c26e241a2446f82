package aim.web;

import aim.db.DatabaseRouter;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the database statement of a request whose client has gone (closed the page, a proxy timed out),
 * so the database stops working for nobody. Every {@value #TICK_MS} ms, for each watched request that
 * holds a database connection, it tries a non-blocking read of one byte from the request's socket: end of
 * stream (or a reset) means the client closed, and the request's statement is cancelled.
 *
 * <p>Limits: only plain HTTP/1.1 connections (behind a TLS-terminating proxy, as deployed) whose request
 * body has been read in full are watched: reading earlier would take the body's bytes. A byte read while
 * the client is still there belongs to a pipelined next request: the connection is then closed after this
 * response (a client that pipelines retries on a new connection) and no longer watched.
 */
final class ClientWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientWatch.class);
    static final int TICK_MS = 200;

    private record Watched(SocketChannel channel, HttpConnection connection, DatabaseRouter.Scope scope) {
    }

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aim-client-watch");
        t.setDaemon(true);
        return t;
    });

    ClientWatch() {
        ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Watches the client of {@code ctx} while {@code scope} is open; run the returned action when the request ends. */
    Runnable watch(Context ctx, DatabaseRouter.Scope scope) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base == null || base.getHttpChannel() == null) return () -> { };
        var endPoint = base.getHttpChannel().getEndPoint();
        boolean bodyRead = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD")
                || base.getHttpInput().isFinished();
        if (!(endPoint instanceof SocketChannelEndPoint socket) || !(endPoint.getConnection() instanceof HttpConnection http)
                || !bodyRead) {
            return () -> { };
        }
        Watched w = new Watched(socket.getChannel(), http, scope);
        watched.add(w);
        return () -> watched.remove(w);
    }

    private void tick() {
        for (Watched w : watched) {
            if (w.scope().isClosed()) {
                watched.remove(w); // the request ended (its after-handler normally removes it first)
                continue;
            }
            if (!w.scope().holdsConnection()) continue;
            int read;
            try {
                read = w.channel().read(ByteBuffer.allocate(1));
            } catch (IOException e) {
                read = -1; // reset by the peer
            } catch (RuntimeException e) {
                watched.remove(w);
                continue;
            }
            if (read < 0) {
                watched.remove(w);
                log.info("client went away; cancelling its database statement");
                w.scope().cancel();
            } else if (read > 0) {
                watched.remove(w);
                w.connection().getGenerator().setPersistent(false);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
