package aim.assets;

import aim.core.DomainException;
import aim.db.SqlFragment;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * The managed, hierarchical asset taxonomy (table {@code asset_category}): code, label, parent. A filter
 * on a category matches the category and every category below it. Admins add categories; existing ones
 * are never re-parented, so the tree cannot gain a cycle.
 */
public final class AssetCategories {
    static final Pattern CODE = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");

    /** One category; {@code parent} is null for a top-level category. */
    public record Category(String code, String label, String parent, int sort) {
    }

    private final DataSource dataSource;

    public AssetCategories(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every category, parents before children within each branch order (by sort, then code). */
    public List<Category> all() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT code, label, parent, sort FROM asset_category ORDER BY sort, code");
             ResultSet rs = ps.executeQuery()) {
            List<Category> list = new ArrayList<>();
            while (rs.next()) list.add(new Category(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
            return list;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the asset categories failed", e);
        }
    }

    /** The category, or an invalid-value failure naming {@code field} when there is no such category. */
    public Category require(String code, String field) {
        if (code == null || code.isBlank()) throw DomainException.invalid(field, field + " is required: an asset category code");
        return require(all(), code, field);
    }

    /** The category among {@code categories} (read earlier), or an invalid-value failure naming {@code field}. */
    static Category require(List<Category> categories, String code, String field) {
        if (code == null || code.isBlank()) throw DomainException.invalid(field, field + " is required: an asset category code");
        for (Category category : categories) if (category.code().equals(code.trim())) return category;
        throw DomainException.invalid(field, "unknown category '" + code + "': see GET /api/assets/categories");
    }

    /**
     * The codes in a comma list (trimmed, without repeats, in order), each of which must exist (else invalid,
     * naming {@code field}); empty when the list is null or blank.
     */
    public List<String> chosen(String commaList, String field) {
        if (commaList == null || commaList.isBlank()) return List.of();
        Set<String> codes = all().stream().map(Category::code).collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        for (String code : commaList.split(",")) {
            String c = code.trim();
            if (c.isEmpty()) continue;
            if (!codes.contains(c)) throw DomainException.invalid(field, "unknown category '" + c + "': see GET /api/assets/categories");
            if (!out.contains(c)) out.add(c);
        }
        return out;
    }

    /** Adds a category (admin). A bad code or an unknown parent is invalid, an existing code a conflict. */
    public Category create(String code, String label, String parent, Integer sort) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw DomainException.invalid("code", "code must be 1-64 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if (label == null || label.isBlank()) throw DomainException.invalid("label", "label is required");
        if (parent != null) require(parent, "parent");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO asset_category (code, label, parent, sort)
                VALUES (?, ?, ?, coalesce(?, (SELECT coalesce(max(sort), 0) + 1 FROM asset_category WHERE parent IS NOT DISTINCT FROM ?)))
                ON CONFLICT (code) DO NOTHING RETURNING sort""")) {
            ps.setString(1, code);
            ps.setString(2, label.trim());
            ps.setString(3, parent);
            ps.setObject(4, sort);
            ps.setString(5, parent);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw DomainException.conflict("code", "category '" + code + "' already exists");
                return new Category(code, label.trim(), parent, rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("adding category " + code + " failed", e);
        }
    }

    /** SQL: {@code column} is one of the categories or below one of them in the tree. */
    static SqlFragment within(String column, List<String> codes) {
        if (codes == null || codes.isEmpty()) return SqlFragment.EMPTY;
        return SqlFragment.of(column + " IN (" + """
                WITH RECURSIVE tree AS (
                    SELECT code FROM asset_category WHERE code = ANY (?::text[])
                    UNION SELECT c.code FROM asset_category c JOIN tree t ON c.parent = t.code)
                SELECT code FROM tree)""", (Object) codes.toArray(String[]::new));
    }
}
