package aim.reports;

import aim.core.DomainException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Report photos in PostgreSQL (table {@code incident_photo}): the original bytes as uploaded and the
 * re-encoded copy without metadata. A report holds at most {@link #MAX_PER_REPORT}; the same image
 * (same SHA-256) added again to a report is the photo already there.
 */
public final class PhotoStore {
    public static final int MAX_PER_REPORT = 8;

    private final DataSource dataSource;

    public PhotoStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stored photo and whether this call created it (false: the same image was already there). */
    public record Added(Report.Photo photo, boolean created) {
    }

    /**
     * Adds a photo to a report, recording a 'photo' event. The report row is locked, so concurrent
     * uploads to one report are counted one after the other; a 409 problem naming {@code photo} when
     * the report already has {@link #MAX_PER_REPORT}.
     */
    public Added add(long reportId, PhotoProcessor.Processed p, long userId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM incident WHERE id = ? FOR UPDATE")) {
                    ps.setLong(1, reportId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw DomainException.notFound("id", "no report " + reportId);
                    }
                }
                List<Report.Photo> existing = describe(c, List.of(reportId)).getOrDefault(reportId, List.of());
                Optional<Report.Photo> same = existing.stream().filter(x -> x.sha256().equals(p.sha256())).findFirst();
                if (same.isPresent()) {
                    c.rollback();
                    return new Added(same.get(), false);
                }
                if (existing.size() >= MAX_PER_REPORT) {
                    throw DomainException.conflict("photo", "the report already has " + MAX_PER_REPORT + " photos, the most it may have");
                }
                long id;
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO incident_photo (incident_id, content_type, sha256, original, stripped, width, height, uploaded_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                    ps.setLong(1, reportId);
                    ps.setString(2, p.contentType());
                    ps.setString(3, p.sha256());
                    ps.setBytes(4, p.original());
                    ps.setBytes(5, p.stripped());
                    ps.setInt(6, p.width());
                    ps.setInt(7, p.height());
                    ps.setLong(8, userId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                ReportRepository.event(c, reportId, userId, "photo", null, null, Map.of("photo", java.util.Arrays.asList(null, id)));
                c.commit();
                return new Added(new Report.Photo(id, p.contentType(), p.width(), p.height(), p.sha256(), userId), true);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a photo of report " + reportId + " failed", e);
        }
    }

    /** A photo's bytes: the original as uploaded, or the copy without metadata. */
    public record Image(String contentType, byte[] bytes) {
    }

    public Optional<Image> image(long reportId, long photoId, boolean original) {
        String sql = original
                ? "SELECT content_type, original FROM incident_photo WHERE incident_id = ? AND id = ?"
                : "SELECT content_type, stripped FROM incident_photo WHERE incident_id = ? AND id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, reportId);
            ps.setLong(2, photoId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Image(rs.getString(1), rs.getBytes(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading photo " + photoId + " failed", e);
        }
    }

    /**
     * The photos (without their bytes) of each of the reports, in upload order, read on the caller's
     * connection: a request holds one pooled connection at a time.
     */
    static Map<Long, List<Report.Photo>> describe(Connection c, List<Long> reportIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT incident_id, id, content_type, width, height, sha256, uploaded_by
                FROM incident_photo WHERE incident_id = ANY (?) ORDER BY id""")) {
            ps.setArray(1, c.createArrayOf("bigint", reportIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                Map<Long, List<Report.Photo>> photos = new HashMap<>();
                while (rs.next()) {
                    long uploader = rs.getLong(7);
                    Long uploadedBy = rs.wasNull() ? null : uploader;
                    photos.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Report.Photo(rs.getLong(2),
                            rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6), uploadedBy));
                }
                return photos;
            }
        }
    }
}
