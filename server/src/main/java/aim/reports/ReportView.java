package aim.reports;

import aim.accounts.Role;
import aim.accounts.User;
import aim.incidents.Redaction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user may see of a report, as the API's JSON. Wardens see only the reports they recorded.
 * Personal data ({@code description}, {@code reporterName}, {@code reporterContact}, {@code recordedBy},
 * {@code assignedTo}, and in the history who made each change and the notes) is shown to admins,
 * analysts and the reporter, and otherwise left out (not null). Where the report is generalised for the
 * viewer ({@link Redaction#generalises}), they get the centre of the 500 m British National Grid square
 * instead of the point, and no {@code locationText} or {@code accuracyM}, which would give the point away.
 */
public final class ReportView {
    private static final List<String> PERSONAL_FIELDS = List.of("description", "reporterName", "reporterContact", "assignedTo");
    private static final List<String> LOCATION_FIELDS = List.of("lon", "lat", "accuracyM", "locationText");

    private ReportView() {
    }

    public static boolean maySee(User user, Report report) {
        return user.role() != Role.WARDEN || report.recordedBy(user.id());
    }

    /** Status changes and edits: analysts, admins, and the warden who recorded the report. */
    public static boolean mayChange(User user, Report report) {
        return user.role() == Role.ADMIN || user.role() == Role.ANALYST || report.recordedBy(user.id());
    }

    public static boolean seesPersonalData(User user, Report report) {
        return user.role().seesPersonalData() || report.recordedBy(user.id());
    }

    /** Whether the viewer sees the report's exact location (the one rule of {@link Redaction}). */
    public static boolean seesExactLocation(User user, Report report) {
        return !Redaction.generalises(user, report.sensitive(), report.recordedById());
    }

    /** Photos of a sensitive report only for those who see its exact location. */
    public static boolean maySeePhotos(User user, Report report) {
        return seesExactLocation(user, report);
    }

    /** The original of a photo: its uploader and admins. */
    public static boolean maySeeOriginal(User user, Report.Photo photo) {
        return user.role() == Role.ADMIN || (photo.uploadedBy() != null && photo.uploadedBy() == user.id());
    }

    public static Map<String, Object> json(Report r, User viewer) {
        boolean personal = seesPersonalData(viewer, r);
        boolean exact = seesExactLocation(viewer, r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("source", r.source());
        m.put("category", r.category());
        m.put("categoryLabel", r.categoryLabel());
        m.put("status", r.status());
        if (personal) m.put("assignedTo", r.assignedTo());
        m.put("occurredAt", r.occurredAt());
        m.put("recordedAt", r.recordedAt());
        m.put("lon", exact ? r.lon() : r.squareLon());
        m.put("lat", exact ? r.lat() : r.squareLat());
        if (exact) {
            m.put("accuracyM", r.accuracyM());
            m.put("locationText", r.locationText());
        }
        if (personal) {
            m.put("description", r.description());
            m.put("reporterName", r.reporterName());
            m.put("reporterContact", r.reporterContact());
            m.put("recordedBy", r.recordedBy());
        }
        if (r.isFlyTipping()) {
            Map<String, Object> fly = new LinkedHashMap<>();
            fly.put("size", r.flySize());
            fly.put("wasteType", r.flyWasteType());
            fly.put("landType", r.flyLandType());
            m.put("flyTipping", fly);
        } else {
            m.put("flyTipping", null);
        }
        // a photo can show the place as well as the person: for sensitive categories, only those
        // who may see the exact location get the photos
        m.put("photos", exact ? r.photos().stream().map(p -> photo(r.id(), p)).toList() : List.of());
        return m;
    }

    public static Map<String, Object> photo(long reportId, Report.Photo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("url", "/api/reports/" + reportId + "/photos/" + p.id());
        m.put("contentType", p.contentType());
        m.put("width", p.width());
        m.put("height", p.height());
        m.put("sha256", p.sha256());
        return m;
    }

    /**
     * One history event. Without personal-data access, the user ({@code by}), the status note and
     * changes of personal fields (the assignee too) are left out, and where the report is generalised
     * changes of the location too.
     */
    public static Map<String, Object> event(ReportEvent e, Report r, User viewer) {
        boolean personal = seesPersonalData(viewer, r);
        boolean exact = seesExactLocation(viewer, r);
        ObjectNode changes = e.changes() instanceof ObjectNode o ? o.deepCopy() : null;
        JsonNode note = changes == null ? null : changes.remove("note");
        if (changes != null && !personal) changes.remove(PERSONAL_FIELDS);
        if (changes != null && !exact) changes.remove(LOCATION_FIELDS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("kind", e.kind());
        m.put("at", e.at());
        if (personal) m.put("by", e.by());
        m.put("fromStatus", e.fromStatus());
        m.put("toStatus", e.toStatus());
        if (personal) m.put("note", note == null || note.isNull() ? null : note.asText());
        m.put("changes", changes == null ? Map.of() : changes);
        return m;
    }
}
