package aim.testing;

import aim.Config;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each test class its own database: fills the class's static {@link Fresh} fields before its
 * {@code @BeforeAll} methods and closes them, in reverse order, after its {@code @AfterAll} methods
 * (a {@link TestServer} stops and drops its database; a data source is closed and dropped).
 * The PostGIS server and the migrated template behind them are made once per test run by {@link TestDatabase}.
 */
public final class FreshDatabaseExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshDatabaseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        Deque<Runnable> closers = new ArrayDeque<>();
        context.getStore(NAMESPACE).put(testClass, closers);
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, Fresh.class, f -> true, HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            if (!ModifierSupport.isStatic(field)) {
                throw new IllegalStateException("@Fresh field " + field.getName() + " of " + testClass.getSimpleName()
                        + " must be static (one database per test class)");
            }
            Map<String, String> environment = environment(field.getAnnotation(Fresh.class));
            Object value;
            if (field.getType() == TestServer.class) {
                TestServer server = TestServer.configured(environment);
                closers.push(server::close);
                value = server;
            } else if (field.getType() == HikariDataSource.class) {
                HikariDataSource dataSource = TestDatabase.fresh(Config.fromEnvironment(environment).capacity());
                closers.push(() -> TestDatabase.close(dataSource));
                value = dataSource;
            } else {
                throw new IllegalStateException("@Fresh field " + field.getName() + " of " + testClass.getSimpleName()
                        + " must be a TestServer or a HikariDataSource, not " + field.getType().getSimpleName());
            }
            field.setAccessible(true);
            field.set(null, value);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Deque<Runnable> closers = (Deque<Runnable>) context.getStore(NAMESPACE).remove(context.getRequiredTestClass());
        if (closers == null) return;
        RuntimeException failure = null;
        while (!closers.isEmpty()) {
            try {
                closers.pop().run();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private static Map<String, String> environment(Fresh fresh) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : fresh.value()) {
            int eq = entry.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("@Fresh entries are NAME=value, not \"" + entry + "\"");
            environment.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return environment;
    }
}
