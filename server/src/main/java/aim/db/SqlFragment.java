package aim.db;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL with its bound parameters, so dynamic parts of a query (filters, paging) are
 * built from small methods and never by pasting request values into SQL text.
 */
public record SqlFragment(String sql, List<Object> params) {

    public static SqlFragment of(String sql, Object... params) {
        return new SqlFragment(sql, List.of(params));
    }

    public static final SqlFragment EMPTY = new SqlFragment("", List.of());

    /** Joins the non-empty fragments with {@code AND}. */
    public static SqlFragment and(List<SqlFragment> parts) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (SqlFragment p : parts) {
            if (p.sql().isEmpty()) continue;
            if (sql.length() > 0) sql.append(" AND ");
            sql.append('(').append(p.sql()).append(')');
            params.addAll(p.params());
        }
        return new SqlFragment(sql.toString(), params);
    }
}
