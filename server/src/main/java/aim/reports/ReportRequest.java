package aim.reports;

/**
 * The JSON body of {@code POST /api/reports}, and of {@code PATCH /api/reports/{id}} (where every
 * field is optional and only those present change). {@code lon}/{@code lat} are WGS84 degrees,
 * {@code accuracyM} metres, {@code occurredAt} ISO-8601 with an offset. Values are checked by
 * {@link ReportValidation}; unknown fields are refused by the JSON mapper.
 */
public record ReportRequest(
        String category,
        Double lon,
        Double lat,
        Double accuracyM,
        String occurredAt,
        String description,
        String locationText,
        String reporterName,
        String reporterContact,
        FlyTipping flyTipping) {

    /** The WasteDataFlow details of a fly-tip: codes of {@code Taxonomy.FLY_SIZES}, {@code FLY_WASTE_TYPES}, {@code FLY_LAND_TYPES}. */
    public record FlyTipping(String size, String wasteType, String landType) {
    }
}
