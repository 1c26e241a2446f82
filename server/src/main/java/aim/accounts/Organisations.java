package aim.accounts;

import aim.core.DomainException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The partner organisations of the AIM group ({@code partner_organisation}), managed by admins. */
public final class Organisations {
    private static final Pattern CODE = Pattern.compile("^[a-z0-9][a-z0-9-]{1,39}$");
    private static final String COLUMNS = "id, code, name, kind, active";

    private final DataSource dataSource;

    public Organisations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every organisation, by name. */
    public List<Organisation> list() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM partner_organisation ORDER BY lower(name), id")) {
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("listing organisations failed", e);
        }
    }

    public Optional<Organisation> byId(long id) {
        return one("SELECT " + COLUMNS + " FROM partner_organisation WHERE id = ?", id);
    }

    public Optional<Organisation> byCode(String code) {
        return one("SELECT " + COLUMNS + " FROM partner_organisation WHERE code = ?", code);
    }

    /** A new organisation; 400 for a malformed field, 409 naming {@code code} or {@code name} when one is taken. */
    public Organisation create(String code, String name, String kind) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw DomainException.invalid("code", "a code is 2-40 lower-case letters, digits or '-', starting with a letter or digit");
        }
        String cleanName = name(name);
        checkKind(kind);
        return write("""
                INSERT INTO partner_organisation (code, name, kind) VALUES (?, ?, ?)
                RETURNING""" + " " + COLUMNS, code, cleanName, kind).orElseThrow();
    }

    /** Changes the given fields (null: unchanged); empty when there is no organisation {@code id}. */
    public Optional<Organisation> update(long id, String name, String kind, Boolean active) {
        String cleanName = name == null ? null : name(name);
        if (kind != null) checkKind(kind);
        return write("""
                UPDATE partner_organisation SET name = coalesce(?, name), kind = coalesce(?, kind), active = coalesce(?, active)
                WHERE id = ? RETURNING""" + " " + COLUMNS, cleanName, kind, active, id);
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 120) {
            throw DomainException.invalid("name", "a name is 1-120 characters");
        }
        return name.strip();
    }

    private static void checkKind(String kind) {
        if (kind == null || !Organisation.KINDS.contains(kind)) {
            throw DomainException.invalid("kind", "kind must be one of " + String.join(", ", Organisation.KINDS));
        }
    }

    private Optional<Organisation> write(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            List<Organisation> rows = read(ps);
            return rows.stream().findFirst();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                boolean code = e.getMessage() != null && e.getMessage().contains("partner_organisation_code_key");
                throw DomainException.conflict(code ? "code" : "name",
                        "an organisation with this " + (code ? "code" : "name") + " already exists");
            }
            throw new IllegalStateException("storing an organisation failed", e);
        }
    }

    private Optional<Organisation> one(String sql, Object param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            return read(ps).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("reading an organisation failed", e);
        }
    }

    private static List<Organisation> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Organisation> list = new ArrayList<>();
            while (rs.next()) {
                list.add(new Organisation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)));
            }
            return list;
        }
    }
}
