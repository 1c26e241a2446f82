package aim.assets;

import aim.core.DomainException;
import org.locationtech.jts.geom.Geometry;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An asset checked for everything that needs no database (kinds, names, geometry types and validity,
 * times, ages, prices), ready for {@link AssetWriter} to check against the database (category, wards,
 * council area) and store. Geometries carry their SRID: 4326 (GeoJSON, Open Referral) or 27700 (CSV
 * Easting/Northing and WKT). Problems are 400s naming the field ({@code prefix} + member), except an
 * invalid polygon, which is a 422 with JTS's reason and location.
 */
record AssetDraft(UUID uid, AssetKind kind, AssetInput input, Geometry geometry, Geometry serviceArea, String source,
                  boolean demo) {

    static final Set<String> STATUSES = Set.of("active", "inactive", "defunct", "temporarily closed");
    private static final Pattern TIME = Pattern.compile("^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?(Z|[+-]\\d\\d:?\\d\\d)?$");
    private static final Pattern BYDAY = Pattern.compile("^([+-]?\\d{0,2}(MO|TU|WE|TH|FR|SA|SU))(,[+-]?\\d{0,2}(MO|TU|WE|TH|FR|SA|SU))*$");
    private static final Set<String> FREQS = Set.of("DAILY", "WEEKLY", "MONTHLY", "YEARLY");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final int MAX_TEXT = 10_000;

    /** Checks an AIM asset body; {@code prefix} is prepended to field names ("" for a request body). */
    static AssetDraft of(AssetInput in, UUID uid, String source, boolean demo, String prefix) {
        AssetKind kind = in.kind() == null ? null : AssetKind.parse(in.kind(), prefix + "kind");
        if (kind == null) throw DomainException.invalid(prefix + "kind", prefix + "kind is required: place, service or people");
        if (in.category() == null || in.category().isBlank()) {
            throw DomainException.invalid(prefix + "category", prefix + "category is required: an asset category code");
        }
        requiredText(in.name(), prefix + "name", 300);
        Set<String> types = kind == AssetKind.SERVICE ? Set.of("Point") : Set.of("Point", "Polygon", "MultiPolygon");
        Geometry geometry = GeoJsonGeometry.read(in.geometry(), prefix + "geometry", types);
        Geometry area = in.serviceArea() == null ? null
                : GeoJsonGeometry.read(in.serviceArea().geometry(), prefix + "service_area.geometry", Set.of("Polygon", "MultiPolygon"));
        checkFields(in, kind, prefix);
        AssetDraft draft = new AssetDraft(uid, kind, in, geometry, area, source, demo);
        draft.checkGeometries(prefix);
        return draft;
    }

    /** The same asset with a geometry read elsewhere (CSV, Open Referral), checked the same way. */
    static AssetDraft withGeometry(AssetInput in, UUID uid, Geometry geometry, Geometry serviceArea, String source,
                                   boolean demo, String prefix) {
        AssetKind kind = AssetKind.parse(in.kind(), prefix + "kind");
        requiredText(in.name(), prefix + "name", 300);
        if (kind == AssetKind.SERVICE && geometry != null && !"Point".equals(geometry.getGeometryType())) {
            throw DomainException.invalid(prefix + "geometry", "a service's own geometry is the point where it is delivered");
        }
        checkFields(in, kind, prefix);
        AssetDraft draft = new AssetDraft(uid, kind, in, geometry, serviceArea, source, demo);
        draft.checkGeometries(prefix);
        return draft;
    }

    private void checkGeometries(String prefix) {
        if (kind == AssetKind.PLACE && geometry == null) {
            throw DomainException.invalid(prefix + "geometry", "a place needs a geometry (a GeoJSON Point or Polygon in WGS84)");
        }
        if (geometry != null) {
            GeoJsonGeometry.invalidity(geometry).ifPresent(reason -> {
                throw DomainException.rejected(prefix + "geometry", "invalid " + geometry.getGeometryType().toLowerCase() + ": " + reason, List.of());
            });
        }
        if (serviceArea != null) {
            if (kind != AssetKind.SERVICE) throw DomainException.invalid(prefix + "service_area", "only services have a service area");
            GeoJsonGeometry.invalidity(serviceArea).ifPresent(reason -> {
                throw DomainException.rejected(prefix + "service_area.geometry", "invalid service area polygon: " + reason, List.of());
            });
        }
    }

    private static void checkFields(AssetInput in, AssetKind kind, String prefix) {
        optionalText(in.description(), prefix + "description", MAX_TEXT);
        if (in.status() != null && !STATUSES.contains(in.status())) {
            throw DomainException.invalid(prefix + "status", "status must be active, inactive, defunct or temporarily closed, not '" + in.status() + "'");
        }
        email(in.email(), prefix + "email");
        url(in.url(), prefix + "url");
        if (in.lastChecked() != null && in.lastChecked().isAfter(LocalDate.now().plusDays(1))) {
            throw DomainException.invalid(prefix + "last_checked", "last_checked " + in.lastChecked() + " is in the future");
        }
        if (in.organisation() != null) {
            if (in.organisation().id() == null) requiredText(in.organisation().name(), prefix + "organisation.name", 300);
            else optionalText(in.organisation().name(), prefix + "organisation.name", 300);
            email(in.organisation().email(), prefix + "organisation.email");
            url(in.organisation().url(), prefix + "organisation.url");
        }
        List<AssetInput.Contact> contacts = in.contactsOrEmpty();
        for (int i = 0; i < contacts.size(); i++) {
            AssetInput.Contact c = contacts.get(i);
            String at = prefix + "contacts[" + i + "]";
            if (c == null) throw DomainException.invalid(at, at + " is null");
            email(c.email(), at + ".email");
            if (isBlank(c.name()) && isBlank(c.title()) && isBlank(c.email()) && (c.phones() == null || c.phones().isEmpty())) {
                throw DomainException.invalid(at, at + " is empty: give a name, title, email or phone");
            }
        }
        List<AssetInput.Schedule> schedules = in.schedulesOrEmpty();
        for (int i = 0; i < schedules.size(); i++) {
            AssetInput.Schedule s = schedules.get(i);
            String at = prefix + "schedules[" + i + "]";
            if (s == null) throw DomainException.invalid(at, at + " is null");
            time(s.opensAt(), at + ".opens_at");
            time(s.closesAt(), at + ".closes_at");
            byday(s.byday(), at + ".byday");
            freq(s.freq(), at + ".freq");
            if (s.interval() != null && s.interval() < 1) throw DomainException.invalid(at + ".interval", "interval must be 1 or more");
            dates(s.validFrom(), s.validTo(), at + ".valid_to");
        }
        List<AssetInput.Eligibility> eligibility = in.eligibilityOrEmpty();
        for (int i = 0; i < eligibility.size(); i++) {
            AssetInput.Eligibility e = eligibility.get(i);
            String at = prefix + "eligibility[" + i + "]";
            if (e == null) throw DomainException.invalid(at, at + " is null");
            ages(e.minimumAge(), e.maximumAge(), at);
        }
        List<AssetInput.CostOption> costs = in.costOptionsOrEmpty();
        for (int i = 0; i < costs.size(); i++) {
            AssetInput.CostOption c = costs.get(i);
            String at = prefix + "cost_options[" + i + "]";
            if (c == null) throw DomainException.invalid(at, at + " is null");
            amount(c.amount(), at + ".amount");
            dates(c.validFrom(), c.validTo(), at + ".valid_to");
        }
        List<String> languages = in.languagesOrEmpty();
        for (int i = 0; i < languages.size(); i++) requiredText(languages.get(i), prefix + "languages[" + i + "]", 100);
        if (in.serviceArea() != null && kind != AssetKind.SERVICE) {
            throw DomainException.invalid(prefix + "service_area", "only services have a service area");
        }
        if (in.serviceArea() != null && in.serviceArea().wards() != null) {
            for (int i = 0; i < in.serviceArea().wards().size(); i++) {
                requiredText(in.serviceArea().wards().get(i), prefix + "service_area.wards[" + i + "]", 64);
            }
        }
    }

    static void requiredText(String value, String field, int max) {
        if (value == null || value.isBlank()) throw DomainException.invalid(field, field + " is required");
        optionalText(value, field, max);
    }

    static void optionalText(String value, String field, int max) {
        if (value != null && value.length() > max) throw DomainException.invalid(field, field + " is longer than " + max + " characters");
    }

    static void time(String value, String field) {
        if (value != null && !TIME.matcher(value).matches()) {
            throw DomainException.invalid(field, field + " must be a time like 09:30 or 16:00:00, not '" + value + "'");
        }
    }

    static void byday(String value, String field) {
        if (value != null && !value.isBlank() && !BYDAY.matcher(value.replace(" ", "")).matches()) {
            throw DomainException.invalid(field, field + " must be iCal days like MO,WE,FR (or 1MO for the first Monday), not '" + value + "'");
        }
    }

    static void freq(String value, String field) {
        if (value != null && !value.isBlank() && !FREQS.contains(value)) {
            throw DomainException.invalid(field, field + " must be DAILY, WEEKLY, MONTHLY or YEARLY, not '" + value + "'");
        }
    }

    static void ages(Integer min, Integer max, String field) {
        if (min != null && (min < 0 || min > 130)) throw DomainException.invalid(field + ".minimum_age", "minimum_age must be from 0 to 130");
        if (max != null && (max < 0 || max > 130)) throw DomainException.invalid(field + ".maximum_age", "maximum_age must be from 0 to 130");
        if (min != null && max != null && min > max) {
            throw DomainException.invalid(field + ".maximum_age", "maximum_age (" + max + ") is below minimum_age (" + min + ")");
        }
    }

    static void amount(BigDecimal amount, String field) {
        if (amount != null && amount.signum() < 0) throw DomainException.invalid(field, field + " must not be negative");
    }

    static void dates(LocalDate from, LocalDate to, String field) {
        if (from != null && to != null && to.isBefore(from)) throw DomainException.invalid(field, field + " (" + to + ") is before valid_from (" + from + ")");
    }

    static void email(String value, String field) {
        if (value != null && !value.isBlank() && !EMAIL.matcher(value).matches()) {
            throw DomainException.invalid(field, field + " '" + value + "' is not an email address");
        }
    }

    static void url(String value, String field) {
        if (value != null && !value.isBlank() && !(value.startsWith("http://") || value.startsWith("https://"))) {
            throw DomainException.invalid(field, field + " must be an http(s) URL, not '" + value + "'");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The wards of the service area, trimmed and without repeats. */
    List<String> serviceAreaWards() {
        if (input.serviceArea() == null || input.serviceArea().wards() == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String w : input.serviceArea().wards()) if (!out.contains(w.trim())) out.add(w.trim());
        return out;
    }
}
