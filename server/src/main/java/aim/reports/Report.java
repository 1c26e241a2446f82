package aim.reports;

import java.time.Instant;
import java.util.List;

/**
 * A stored warden report as read back. {@code lon}/{@code lat} are the exact point in WGS84 degrees
 * (6 decimals, about 0.1 m); {@code squareLon}/{@code squareLat} the centre of the 500 m British
 * National Grid square holding it, which is shown instead for sensitive categories to roles without
 * personal-data access. {@code recordedById}/{@code recordedBy} are the recording user's id and username.
 */
public record Report(
        long id,
        String source,
        String category,
        String categoryLabel,
        boolean sensitive,
        String status,
        String assignedTo,
        Instant occurredAt,
        Instant recordedAt,
        Double lon,
        Double lat,
        Double squareLon,
        Double squareLat,
        Double accuracyM,
        String locationText,
        String description,
        String reporterName,
        String reporterContact,
        Long recordedById,
        String recordedBy,
        String flySize,
        String flyWasteType,
        String flyLandType,
        List<Photo> photos) {

    /** A photo's description; the image bytes are read separately. {@code width}/{@code height} are of the served copy, in pixels. */
    public record Photo(long id, String contentType, int width, int height, String sha256, Long uploadedBy) {
    }

    public boolean isFlyTipping() {
        return "fly-tipping".equals(category);
    }

    /** Whether {@code userId} recorded this report. */
    public boolean recordedBy(long userId) {
        return recordedById != null && recordedById == userId;
    }

    /** The editable values as they are now (for a partial edit). */
    public ReportFields fields() {
        return new ReportFields(category, lon == null ? 0 : lon, lat == null ? 0 : lat, accuracyM, occurredAt, description,
                locationText, reporterName, reporterContact, flySize, flyWasteType, flyLandType);
    }

    Report withPhotos(List<Photo> list) {
        return new Report(id, source, category, categoryLabel, sensitive, status, assignedTo, occurredAt, recordedAt, lon, lat,
                squareLon, squareLat, accuracyM, locationText, description, reporterName, reporterContact, recordedById,
                recordedBy, flySize, flyWasteType, flyLandType, List.copyOf(list));
    }
}
