package aim.testing;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * The app's rule for the pool, checked: a thread that holds a connection from this data source may
 * not take a second one. (With a pool of N, N requests that each hold one connection and wait for
 * another deadlock until the pool's timeout.) {@link TestServer} gives the app its data source through
 * this check, so any request path that breaks the rule fails with a 500 and a logged stack trace.
 */
public final class OneConnectionPerThread {
    private static final ThreadLocal<int[]> HELD = ThreadLocal.withInitial(() -> new int[1]);

    private OneConnectionPerThread() {
    }

    public static DataSource wrap(DataSource pool) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        int[] held = HELD.get();
                        if (held[0] > 0) {
                            throw new IllegalStateException("this thread already holds a pooled connection and asked for a "
                                    + "second one: pass the connection down instead (the pool deadlocks under load otherwise)");
                        }
                        Connection c = (Connection) invoke(pool, method, args);
                        held[0]++;
                        return counted(c, held);
                    }
                    return invoke(pool, method, args);
                });
    }

    private static Connection counted(Connection c, int[] held) {
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !closed[0]) {
                        closed[0] = true;
                        held[0]--;
                    }
                    return invoke(c, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
