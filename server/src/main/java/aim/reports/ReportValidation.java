package aim.reports;

import aim.core.DomainException;
import aim.incidents.Taxonomy;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a report's values and names the field at fault: a 400 problem for a missing, malformed or
 * unknown value, a 422 problem for a time in the future. The council-area test needs the database
 * and is made by {@link ReportRepository#insideCouncilArea}. Coordinates are WGS84 degrees.
 */
public final class ReportValidation {
    /** How far in the future {@code occurredAt} may be, for a phone whose clock runs fast. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** A time further ahead than this is a mistake, not a fast clock: refused. */
    public static final Duration FAST_CLOCK_LIMIT = Duration.ofHours(24);
    /** Nothing AIM holds happened before this; it also keeps times inside what PostgreSQL stores. */
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    public static final int MAX_DESCRIPTION = 4000;
    public static final int MAX_SHORT_TEXT = 500;

    private ReportValidation() {
    }

    /** A new report's values; {@code occurredAt} defaults to {@code now}. */
    public static ReportFields forCreate(ReportRequest body, Taxonomy taxonomy, Instant now) {
        Instant occurred = body.occurredAt() == null ? now : occurredAt(body.occurredAt(), now);
        ReportRequest.FlyTipping fly = body.flyTipping();
        return check(body.category(), body.lon(), body.lat(), body.accuracyM(), occurred, body.description(),
                body.locationText(), body.reporterName(), body.reporterContact(),
                fly == null ? null : fly.size(), fly == null ? null : fly.wasteType(), fly == null ? null : fly.landType(),
                fly != null, taxonomy);
    }

    /**
     * A partial edit of {@code current}: the fields {@code present} in the request body change (null
     * clears an optional text or number); inside {@code flyTipping} likewise. A report that leaves the
     * fly-tipping category loses its fly-tipping details unless the body gives them (which is then an error).
     */
    public static ReportEdit forEdit(Report current, ReportRequest patch, JsonNode present, Taxonomy taxonomy, Instant now) {
        ReportFields old = current.fields();
        String category = present.has("category") ? patch.category() : old.category();
        Double lon = present.has("lon") ? patch.lon() : current.lon();
        Double lat = present.has("lat") ? patch.lat() : current.lat();
        Double accuracy = present.has("accuracyM") ? patch.accuracyM() : old.accuracyM();
        Instant occurred = old.occurredAt();
        if (present.has("occurredAt")) {
            if (patch.occurredAt() == null) throw DomainException.invalid("occurredAt", "occurredAt cannot be removed");
            occurred = occurredAt(patch.occurredAt(), now);
        }
        String description = present.has("description") ? patch.description() : old.description();
        String locationText = present.has("locationText") ? patch.locationText() : old.locationText();
        String reporterName = present.has("reporterName") ? patch.reporterName() : old.reporterName();
        String reporterContact = present.has("reporterContact") ? patch.reporterContact() : old.reporterContact();
        String size = old.flySize();
        String waste = old.flyWasteType();
        String land = old.flyLandType();
        JsonNode fly = present.get("flyTipping");
        boolean flyGiven = fly != null && !fly.isNull();
        if (flyGiven) {
            if (fly.has("size")) size = patch.flyTipping().size();
            if (fly.has("wasteType")) waste = patch.flyTipping().wasteType();
            if (fly.has("landType")) land = patch.flyTipping().landType();
        } else if (fly != null || !"fly-tipping".equals(trim(category))) {
            size = null;
            waste = null;
            land = null;
        }
        ReportFields next = check(category, lon, lat, accuracy, occurred, description, locationText, reporterName,
                reporterContact, size, waste, land, flyGiven, taxonomy);

        Map<String, List<Object>> changes = new LinkedHashMap<>();
        change(changes, "category", old.category(), next.category());
        boolean moved = Math.abs(next.lon() - old.lon()) > 5e-7 || Math.abs(next.lat() - old.lat()) > 5e-7;
        if (moved) {
            change(changes, "lon", old.lon(), next.lon());
            change(changes, "lat", old.lat(), next.lat());
        } else {
            // the same point given again (to the stored 6 decimals): keep the stored geometry as it is
            next = new ReportFields(next.category(), old.lon(), old.lat(), next.accuracyM(), next.occurredAt(), next.description(),
                    next.locationText(), next.reporterName(), next.reporterContact(), next.flySize(), next.flyWasteType(), next.flyLandType());
        }
        change(changes, "accuracyM", old.accuracyM(), next.accuracyM());
        change(changes, "occurredAt", text(old.occurredAt()), text(next.occurredAt()));
        change(changes, "description", old.description(), next.description());
        change(changes, "locationText", old.locationText(), next.locationText());
        change(changes, "reporterName", old.reporterName(), next.reporterName());
        change(changes, "reporterContact", old.reporterContact(), next.reporterContact());
        change(changes, "flyTipping.size", old.flySize(), next.flySize());
        change(changes, "flyTipping.wasteType", old.flyWasteType(), next.flyWasteType());
        change(changes, "flyTipping.landType", old.flyLandType(), next.flyLandType());
        return new ReportEdit(next, moved, changes);
    }

    /** An ISO-8601 date-time with an offset, not in the future beyond {@link #CLOCK_SKEW}. */
    public static Instant occurredAt(String value, Instant now) {
        Instant at;
        try {
            at = OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("occurredAt", "occurredAt '" + value
                    + "' is not an ISO-8601 date and time with an offset, e.g. 2026-11-22T09:15:00Z");
        }
        // A phone whose clock runs fast must still be able to send what it queued (the body of a
        // queued report cannot change under its Idempotency-Key): up to a day ahead is taken as "now".
        if (at.isAfter(now.plus(CLOCK_SKEW)) && !at.isAfter(now.plus(FAST_CLOCK_LIMIT))) return now;
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            throw DomainException.rejected("occurredAt", "occurredAt " + at + " is in the future (the server's time is "
                    + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")", null);
        }
        if (at.isBefore(EARLIEST)) throw DomainException.invalid("occurredAt", "occurredAt " + at + " is before 1900");
        return at;
    }

    /** The optional text of a status change ({@code assignedTo}, {@code note}): trimmed, blank as null. */
    public static String statusText(String value, String field) {
        return text(value, field, field.equals("note") ? MAX_DESCRIPTION : MAX_SHORT_TEXT);
    }

    private static ReportFields check(String category, Double lon, Double lat, Double accuracy, Instant occurred,
                                      String description, String locationText, String reporterName, String reporterContact,
                                      String size, String waste, String land, boolean flyGiven, Taxonomy taxonomy) {
        String code = trim(category);
        if (code == null) throw DomainException.invalid("category", "category is required: one of " + codes(taxonomy));
        Taxonomy.Category known = taxonomy.byCode(code).orElseThrow(() -> DomainException.invalid("category",
                "unknown category '" + category + "': expected one of " + codes(taxonomy)));
        if ("police".equals(known.group())) {
            throw DomainException.invalid("category", "'" + code + "' is a police.uk crime type, which comes from police data:"
                    + " a report is ASB, environmental crime, fly-tipping or a hate incident");
        }
        if (lon == null) throw DomainException.invalid("lon", "lon (WGS84 longitude in degrees) is required");
        if (lat == null) throw DomainException.invalid("lat", "lat (WGS84 latitude in degrees) is required");
        if (!(lon >= -180 && lon <= 180)) throw DomainException.invalid("lon", "lon " + lon + " is not a longitude (-180 to 180)");
        if (!(lat >= -90 && lat <= 90)) throw DomainException.invalid("lat", "lat " + lat + " is not a latitude (-90 to 90)");
        if (accuracy != null && !(accuracy >= 0 && accuracy < 1e6)) {
            throw DomainException.invalid("accuracyM", "accuracyM is the GPS accuracy in metres and cannot be " + accuracy);
        }
        if (known.isFlyTipping()) {
            size = code(size, "flyTipping.size", Taxonomy.FLY_SIZES, true);
            waste = code(waste, "flyTipping.wasteType", Taxonomy.FLY_WASTE_TYPES, true);
            land = code(land, "flyTipping.landType", Taxonomy.FLY_LAND_TYPES, false);
        } else if (flyGiven || size != null || waste != null || land != null) {
            throw DomainException.invalid("flyTipping", "flyTipping details belong only to the fly-tipping category, not " + code);
        }
        return new ReportFields(code, lon, lat, accuracy, occurred,
                text(description, "description", MAX_DESCRIPTION), text(locationText, "locationText", MAX_SHORT_TEXT),
                text(reporterName, "reporterName", MAX_SHORT_TEXT), text(reporterContact, "reporterContact", MAX_SHORT_TEXT),
                size, waste, land);
    }

    private static String code(String value, String field, Map<String, String> allowed, boolean required) {
        String v = trim(value);
        if (v == null) {
            if (required) throw DomainException.invalid(field, field + " is required for fly-tipping: one of " + String.join(", ", allowed.keySet()));
            return null;
        }
        if (!allowed.containsKey(v)) {
            throw DomainException.invalid(field, "unknown " + field + " '" + value + "': expected one of " + String.join(", ", allowed.keySet()));
        }
        return v;
    }

    private static String text(String value, String field, int max) {
        String v = trim(value);
        if (v == null) return null;
        if (v.indexOf('\0') >= 0) throw DomainException.invalid(field, field + " contains a NUL character");
        if (v.length() > max) throw DomainException.invalid(field, field + " is longer than " + max + " characters");
        return v;
    }

    private static String trim(String value) {
        if (value == null) return null;
        String v = value.strip();
        return v.isEmpty() ? null : v;
    }

    private static String codes(Taxonomy taxonomy) {
        return String.join(", ", taxonomy.categories().stream().map(Taxonomy.Category::code).toList());
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static void change(Map<String, List<Object>> changes, String field, Object old, Object now) {
        if (!Objects.equals(old, now)) changes.put(field, new ArrayList<>(Arrays.asList(old, now)));
    }
}
