package aim.reports;

import java.time.Instant;

/**
 * The checked, editable values of a report: what {@link ReportValidation} accepts and the repository
 * writes. {@code lon}/{@code lat} are WGS84 degrees; {@code accuracyM} metres (or null); text is
 * trimmed, with blank text stored as null; the fly-tipping codes are null for other categories.
 */
public record ReportFields(
        String category,
        double lon,
        double lat,
        Double accuracyM,
        Instant occurredAt,
        String description,
        String locationText,
        String reporterName,
        String reporterContact,
        String flySize,
        String flyWasteType,
        String flyLandType) {
}
