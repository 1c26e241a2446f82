package aim.db;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data source the app's repositories use. It decides, for each connection a request takes, which server
 * answers and under which limits; the repositories and controllers know nothing of it.
 *
 * <ul>
 * <li><b>Where.</b> A request {@link #open opened} as read-only goes to a read replica (round robin; a replica
 *     that cannot give a connection is skipped for {@value #DOWN_SECONDS} s, and with none left the primary
 *     answers) unless it must see its caller's own writes: a primary-only route (a warden's "my reports"), or a
 *     caller who wrote within the last {@code readAfterWriteMs}. Writes, and anything outside a request, go
 *     to the primary. Replica lag is not measured: the recent-writer window is what keeps a user's own
 *     writes in their view.</li>
 * <li><b>Limits.</b> Every connection handed out gets the statement timeout of the request's {@link Work}
 *     class. Most statements run in autocommit (a transaction each), where {@code SET LOCAL} would end with
 *     the {@code SET} itself, so the value is set on the session at each checkout (a round trip only when
 *     it differs from the value that physical connection already has) and so never outlives the checkout.</li>
 * <li><b>Cancel.</b> A request's {@link Scope} knows the connection it holds; {@link Scope#cancel} cancels the
 *     running statement (the client went away) and refuses any further connection to that request.</li>
 * </ul>
 * Plans: every pool AIM opens plans each execution for its parameters ({@link Database#connect}).
 */
public final class DatabaseRouter extends ForwardingDataSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseRouter.class);
    static final int DOWN_SECONDS = 10;
    /** SQLState of a statement cancelled by a timeout or a cancel request. */
    public static final String QUERY_CANCELED = "57014";

    /** The classes of request, each with its own statement timeout. */
    public enum Work { INTERACTIVE, EXPORT, IMPORT }

    /**
     * How requests use the database.
     *
     * @param interactiveTimeoutMs longest statement of an interactive request (AIM_STATEMENT_TIMEOUT_MS, default 15000)
     * @param exportTimeoutMs      longest statement of an export: asset export, briefing pack (AIM_EXPORT_STATEMENT_TIMEOUT_MS, default 120000)
     * @param importTimeoutMs      longest statement of an import (AIM_IMPORT_STATEMENT_TIMEOUT_MS, default 900000)
     * @param readUrls             read replicas for read-only requests (AIM_DATABASE_READ_URL, comma-separated; none by default)
     * @param readAfterWriteMs     how long after a write its author's reads still go to the primary (AIM_READ_AFTER_WRITE_MS, default 10000)
     */
    public record Settings(int interactiveTimeoutMs, int exportTimeoutMs, int importTimeoutMs, List<DatabaseUrl> readUrls,
                           int readAfterWriteMs) {
        public Settings {
            readUrls = List.copyOf(readUrls);
        }

        public int timeoutMs(Work work) {
            return switch (work) {
                case INTERACTIVE -> interactiveTimeoutMs;
                case EXPORT -> exportTimeoutMs;
                case IMPORT -> importTimeoutMs;
            };
        }
    }

    private final DataSource primary;
    private final List<Replica> replicas = new ArrayList<>();
    private final Settings settings;
    private final ThreadLocal<Scope> current = new ThreadLocal<>();
    /** user id → System.nanoTime() of their latest write */
    private final Map<Long, Long> lastWrite = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    /** physical connection → the statement timeout last set on it */
    private final Map<Object, Integer> timeoutSet = Collections.synchronizedMap(new WeakHashMap<>());

    /** Routes over {@code primary}, opening a pool of {@code replicaPoolSize} for each of {@code settings.readUrls()}. */
    public DatabaseRouter(DataSource primary, Settings settings, int replicaPoolSize, int connectionTimeoutMs) {
        super(primary);
        this.primary = primary;
        this.settings = settings;
        for (DatabaseUrl url : settings.readUrls()) {
            // a replica that is down must not stall reads for long, nor stop the server starting
            replicas.add(new Replica(url, Database.connectReplica(url, replicaPoolSize, Math.min(connectionTimeoutMs, 1000))));
        }
    }

    /**
     * The work of one request on this thread, until {@link Scope#close}: its class, whether it only reads,
     * its caller (null = anonymous) and whether it must read from the primary.
     */
    public Scope open(Work work, boolean readOnly, Long userId, boolean primaryOnly) {
        Scope scope = new Scope(work, readOnly, userId, primaryOnly);
        if (!readOnly && userId != null) wrote(userId);
        current.set(scope);
        return scope;
    }

    /** A view that always answers from the primary, with the current request's limits (for reads that write, e.g. audits). */
    public DataSource primaryOnly() {
        return new PrimaryView();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(true);
    }

    private Connection connection(boolean mayUseReplica) throws SQLException {
        Scope scope = current.get();
        if (scope != null && scope.cancelled) {
            throw new SQLException("the request was cancelled (its client went away)", QUERY_CANCELED);
        }
        Connection c = mayUseReplica && scope != null && readsFromReplica(scope) ? replicaConnection() : primary.getConnection();
        try {
            setTimeout(c, settings.timeoutMs(scope == null ? Work.INTERACTIVE : scope.work));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return scope == null ? c : scope.hold(c);
    }

    private boolean readsFromReplica(Scope scope) {
        if (replicas.isEmpty() || !scope.readOnly || scope.primaryOnly) return false;
        if (scope.userId == null) return true;
        Long wrote = lastWrite.get(scope.userId);
        return wrote == null || System.nanoTime() - wrote > TimeUnit.MILLISECONDS.toNanos(settings.readAfterWriteMs());
    }

    /** The next healthy replica's connection in turn, or the primary's when none gives one. */
    private Connection replicaConnection() throws SQLException {
        int n = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int k = 0; k < n; k++) {
            Replica r = replicas.get((start + k) % n);
            if (System.nanoTime() - r.downSince < TimeUnit.SECONDS.toNanos(DOWN_SECONDS)) continue;
            try {
                return r.pool.getConnection();
            } catch (SQLException e) {
                r.downSince = System.nanoTime();
                log.warn("read replica {} gives no connection; reading from the primary for {} s: {}", r.url, DOWN_SECONDS, e.getMessage());
            }
        }
        return primary.getConnection();
    }

    private void setTimeout(Connection c, int ms) throws SQLException {
        Object physical = c.unwrap(PGConnection.class);
        Integer set = timeoutSet.get(physical);
        if (set != null && set == ms) return;
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + ms); // a number of ours, never a request's
        }
        timeoutSet.put(physical, ms);
    }

    private void wrote(long userId) {
        long now = System.nanoTime();
        lastWrite.put(userId, now);
        if (lastWrite.size() > 10_000) {
            long window = TimeUnit.MILLISECONDS.toNanos(settings.readAfterWriteMs());
            lastWrite.values().removeIf(t -> now - t > window);
        }
    }

    /** Whether {@code e} or a cause is a statement cancelled by its timeout or a cancel request (SQLState 57014). */
    public static boolean cancelled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && QUERY_CANCELED.equals(s.getSQLState())) return true;
        }
        return false;
    }

    /**
     * Whether {@code e} or a cause is a lost database connection (SQLState class 08, or the server shutting down or
     * not yet accepting: 57P01–57P03), as when a replica stops or the primary fails over: worth a retry.
     */
    public static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} or a cause is a transaction the database rolled back to break a conflict with another one
     * (SQLState 40P01 deadlock, 40001 serialization failure): nothing of it was kept, and a retry may succeed. Rare,
     * e.g. a bulk import of new months while a boundary import assigns its new set.
     */
    public static boolean rolledBackForConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState()))) return true;
        }
        return false;
    }

    /**
     * Takes {@code c}, a connection from {@code dataSource} (this router's or a Hikari pool's; closed or not), out of
     * its pool for good, so the pool opens a fresh session in its place: for a session whose memory a job raised
     * (an import's {@code temp_buffers}, kept by PostgreSQL until the session ends). A no-op for other pools.
     */
    public static void retire(DataSource dataSource, Connection c) throws SQLException {
        Connection pooled = Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof Scope.Held h ? h.pooled : c;
        if (dataSource.isWrapperFor(HikariDataSource.class)) dataSource.unwrap(HikariDataSource.class).evictConnection(pooled);
    }

    /** The statement timeout of {@code work}, in milliseconds. */
    public int timeoutMs(Work work) {
        return settings.timeoutMs(work);
    }

    /** The current request's class on this thread (interactive outside a request). */
    public Work currentWork() {
        Scope scope = current.get();
        return scope == null ? Work.INTERACTIVE : scope.work;
    }

    /** Closes the replica pools (the primary is the caller's). */
    @Override
    public void close() {
        for (Replica r : replicas) r.pool.close();
    }

    private static final class Replica {
        final DatabaseUrl url;
        final HikariDataSource pool;
        volatile long downSince = System.nanoTime() - TimeUnit.SECONDS.toNanos(DOWN_SECONDS + 1);

        Replica(DatabaseUrl url, HikariDataSource pool) {
            this.url = url;
            this.pool = pool;
        }
    }

    /** One request's work on one thread. */
    public final class Scope implements AutoCloseable {
        private final Work work;
        private final boolean readOnly;
        private final Long userId;
        private final boolean primaryOnly;
        private volatile boolean cancelled;
        private volatile boolean closed;
        private Connection held; // guarded by this

        private Scope(Work work, boolean readOnly, Long userId, boolean primaryOnly) {
            this.work = work;
            this.readOnly = readOnly;
            this.userId = userId;
            this.primaryOnly = primaryOnly;
        }

        /** Whether the request's work has ended. */
        public boolean isClosed() {
            return closed;
        }

        /** Whether the request holds a connection now (and so may be running a statement). */
        public synchronized boolean holdsConnection() {
            return held != null;
        }

        /**
         * Cancels the statement running on the request's connection, if any, and refuses it any other. The
         * connection cannot go back to the pool (and to another request) while the cancel is being sent.
         */
        public synchronized void cancel() {
            cancelled = true;
            if (held == null) return;
            try {
                held.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                log.warn("cancelling a statement failed: {}", e.getMessage());
            }
        }

        private Connection hold(Connection c) {
            synchronized (this) {
                held = c;
            }
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    new Held(c));
        }

        /** The request's view of its pooled connection: closing it lets the scope know it holds none. */
        private final class Held implements InvocationHandler {
            private final Connection pooled;

            private Held(Connection pooled) {
                this.pooled = pooled;
            }

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                if (method.getName().equals("close")) {
                    synchronized (Scope.this) {
                        if (held == pooled) held = null;
                    }
                }
                try {
                    return method.invoke(pooled, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            if (current.get() == this) current.remove();
            if (!readOnly && userId != null) wrote(userId);
        }
    }

    /** The primary, under the current request's limits. */
    private final class PrimaryView extends ForwardingDataSource {
        PrimaryView() {
            super(primary);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connection(false);
        }
    }
}
