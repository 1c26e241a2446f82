package aim.web;

import aim.core.DomainException;
import io.javalin.http.Context;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * The one way a controller reads a raw request body: a stream that ends the request with a 413 problem as
 * soon as more than a given number of bytes has actually been read, whether the body came with a
 * Content-Length (checked up front, before reading anything) or chunked. Nothing here buffers the body:
 * callers either parse a small body (JSON) or copy it to a temporary file (imports).
 */
public final class RequestBodies {
    /** How long a refused client has to read the 413 before its connection is closed. */
    private static final long CLOSE_AFTER_MILLIS = 1000;

    private RequestBodies() {
    }

    /** The body as a stream of at most {@code maxBytes}; more is a 413 problem naming {@code field}. */
    public static InputStream stream(Context ctx, long maxBytes, String field) {
        if (ctx.req().getContentLengthLong() > maxBytes) throw tooLarge(ctx, field, maxBytes);
        try {
            return new Limited(ctx, maxBytes, field);
        } catch (IOException e) {
            throw unreadable(field, e);
        }
    }

    /** The whole body, for small bodies only (JSON): at most {@code maxBytes}, else a 413 problem. */
    public static byte[] bytes(Context ctx, int maxBytes, String field) {
        try (InputStream in = stream(ctx, maxBytes, field)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw unreadable(field, e);
        }
    }

    /**
     * The 413 problem for a body over the limit; the rest of the body is refused too. Left alone, Jetty (11)
     * reads and discards whatever the client still sends, for as long as it keeps sending: failing the
     * request's content makes it answer at once and close its side, and the connection is dropped a moment
     * later (time enough for the client to read the small answer), however fast the client still sends.
     */
    public static DomainException tooLarge(Context ctx, String field, long maxBytes) {
        Request jetty = Request.getBaseRequest(ctx.req());
        if (jetty != null) {
            HttpChannel channel = jetty.getHttpChannel();
            channel.failed(new IOException("the request body is over the limit of " + maxBytes + " bytes"));
            EndPoint endPoint = channel.getEndPoint();
            channel.getConnector().getScheduler().schedule(endPoint::close, CLOSE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        }
        return DomainException.tooLarge(field, "the " + field + " may be at most " + size(maxBytes));
    }

    /** A body that breaks off or is badly framed (e.g. bad chunking) is the client's fault. */
    static DomainException unreadable(String field, Exception e) {
        return DomainException.invalid(field, "the " + field + " could not be read: " + e.getMessage());
    }

    /** 65536 → "64 KB", 536870912 → "512 MB". */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + " MB";
        if (bytes >= 1024 && bytes % 1024 == 0) return bytes / 1024 + " KB";
        return bytes + " bytes";
    }

    /** Counts the bytes read and throws the 413 problem at the first byte beyond the limit. */
    private static final class Limited extends FilterInputStream {
        private final Context ctx;
        private final long maxBytes;
        private final String field;
        private long read;

        Limited(Context ctx, long maxBytes, String field) throws IOException {
            super(ctx.req().getInputStream());
            this.ctx = ctx;
            this.maxBytes = maxBytes;
            this.field = field;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // never ask for more than one byte past the limit, so the excess is noticed without reading on
            long allowed = maxBytes - read + 1;
            int n = in.read(buffer, offset, (int) Math.min(length, allowed));
            if (n > 0) count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, maxBytes - read + 1));
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > maxBytes) throw tooLarge(ctx, field, maxBytes);
        }
    }
}
