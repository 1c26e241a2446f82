package aim.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is: a JDBC URL plus credentials. Accepts both libpq-style URLs
 * ({@code postgresql://user:password@host:port/db}) and JDBC URLs ({@code jdbc:postgresql://host/db}).
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url, String user, String password) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, user, password);
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            String info = uri.getRawUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                String u = decode(colon < 0 ? info : info.substring(0, colon));
                String p = colon < 0 ? null : decode(info.substring(colon + 1));
                if (user == null) user = u;
                if (password == null) password = p;
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new DatabaseUrl("jdbc:postgresql://" + host + ":" + port + uri.getRawPath() + query, user, password);
        }
        throw new IllegalArgumentException(
                "AIM_DATABASE_URL must look like postgresql://user:password@host:port/database or jdbc:postgresql://host:port/database");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The same server, another database on it. */
    public DatabaseUrl withDatabase(String database) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?');
        String base = slash < 0 ? jdbcUrl : jdbcUrl.substring(0, slash);
        String rest = query < 0 ? "" : jdbcUrl.substring(query);
        return new DatabaseUrl(base + "/" + database + rest, user, password);
    }

    @Override
    public String toString() {
        return jdbcUrl + " (user " + user + ")";
    }
}
