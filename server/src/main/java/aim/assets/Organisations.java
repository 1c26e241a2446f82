package aim.assets;

import aim.core.DomainException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Finds or stores the organisation a service names: by its uid when given (upserting its details, so an
 * Open Referral import keeps them), else by name (case-insensitive; the first match), else a new one.
 */
final class Organisations {
    private Organisations() {
    }

    static long resolve(Connection c, AssetInput.Organisation o) throws SQLException {
        if (o.id() != null && (o.name() == null || o.name().isBlank())) {
            // an id alone links to an organisation that is already stored
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM organisation WHERE uid = ?")) {
                ps.setObject(1, o.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return rs.getLong(1);
                }
            }
            throw DomainException.invalid("organisation.name", "no organisation " + o.id() + " is stored: give its name to add it");
        }
        if (o.id() != null) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO organisation (uid, name, description, email, url, logo, uri) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (uid) DO UPDATE SET name = excluded.name,
                        description = excluded.description, email = excluded.email, url = excluded.url,
                        logo = excluded.logo, uri = excluded.uri
                    RETURNING id""")) {
                ps.setObject(1, o.id());
                ps.setString(2, o.name().trim());
                bindDetails(ps, 3, o);
                return single(ps);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM organisation WHERE lower(name) = lower(?) ORDER BY id LIMIT 1")) {
            ps.setString(1, o.name().trim());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO organisation (name, description, email, url, logo, uri) VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")) {
            ps.setString(1, o.name().trim());
            bindDetails(ps, 2, o);
            return single(ps);
        }
    }

    private static void bindDetails(PreparedStatement ps, int i, AssetInput.Organisation o) throws SQLException {
        ps.setString(i, AssetWriter.blankToNull(o.description()));
        ps.setString(i + 1, AssetWriter.blankToNull(o.email()));
        ps.setString(i + 2, AssetWriter.blankToNull(o.url()));
        ps.setString(i + 3, AssetWriter.blankToNull(o.logo()));
        ps.setString(i + 4, AssetWriter.blankToNull(o.uri()));
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
