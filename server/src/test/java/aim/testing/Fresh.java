package aim.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static field that {@link FreshDatabaseExtension} fills for its test class with a fresh database (a
 * {@code HikariDataSource} from {@link TestDatabase#fresh}) or a started {@link TestServer} over one,
 * before the class's {@code @BeforeAll} methods run, and closes (dropping the database) after its
 * {@code @AfterAll} methods:
 *
 * <pre>{@code
 * @Fresh static TestServer server;
 * @Fresh({"AIM_TOKEN_DAYS=30", "AIM_DB_POOL_SIZE=4"}) static TestServer limited;
 * @Fresh static HikariDataSource db;
 * }</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(FreshDatabaseExtension.class)
public @interface Fresh {
    /**
     * The configuration, as {@code AIM_…=value} environment entries: the server's (see
     * {@link TestServer#configured}), and for either kind of field the pool's size and wait
     * ({@code AIM_DB_POOL_SIZE}, {@code AIM_DB_CONNECTION_TIMEOUT_MS}).
     */
    String[] value() default {};
}
