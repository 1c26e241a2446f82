package aim.assets;

import aim.core.DomainException;
import aim.core.Issue;
import org.locationtech.jts.geom.Geometry;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * An asset checked for everything that needs no database (kinds, names, geometry types and validity,
 * times, ages, prices), ready for {@link AssetWriter} to check against the database (category, wards,
 * council area) and store. Geometries carry their SRID: 4326 (GeoJSON, Open Referral) or 27700 (CSV
 * Easting/Northing and WKT). Checking throws nothing: it answers a {@link Checked} holding the draft or
 * the {@link Issue}s found, each naming its field ({@code prefix} + member), and the caller decides what
 * they mean (the API reports the first as a problem; see {@link Checked#orElseThrow}).
 */
record AssetDraft(UUID uid, AssetKind kind, AssetInput input, Geometry geometry, Geometry serviceArea, String source,
                  boolean demo) {

    static final Set<String> STATUSES = Set.of("active", "inactive", "defunct", "temporarily closed");
    private static final Pattern TIME = Pattern.compile("^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?(Z|[+-]\\d\\d:?\\d\\d)?$");
    private static final Pattern BYDAY = Pattern.compile("^([+-]?\\d{0,2}(MO|TU|WE|TH|FR|SA|SU))(,[+-]?\\d{0,2}(MO|TU|WE|TH|FR|SA|SU))*$");
    private static final Set<String> FREQS = Set.of("DAILY", "WEEKLY", "MONTHLY", "YEARLY");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final int MAX_TEXT = 10_000;

    /**
     * What checking an asset found, in the order the checks ran: the draft when nothing is wrong; else
     * {@code malformed}, the values that are missing, malformed or out of range, and {@code invalid}, the
     * geometries that are well-formed but not valid (JTS's reason and location; looked at only when nothing
     * is malformed).
     */
    record Checked(AssetDraft draft, List<Issue> malformed, List<Issue> invalid) {

        static Checked of(AssetDraft draft) {
            return new Checked(draft, List.of(), List.of());
        }

        static Checked malformed(List<Issue> issues) {
            return new Checked(null, List.copyOf(issues), List.of());
        }

        /**
         * The draft, or else the first issue as the failure the API reports: invalid for a malformed
         * value, rejected for an invalid geometry, its field renamed by {@code fieldName}.
         */
        AssetDraft orElseThrow(UnaryOperator<String> fieldName) {
            if (!malformed.isEmpty()) {
                Issue first = malformed.get(0);
                throw DomainException.invalid(fieldName.apply(first.field()), first.message());
            }
            if (!invalid.isEmpty()) {
                Issue first = invalid.get(0);
                throw DomainException.rejected(fieldName.apply(first.field()), first.message(), List.of());
            }
            return draft;
        }
    }

    /** Checks an AIM asset body; {@code prefix} is prepended to field names ("" for a request body). */
    static Checked of(AssetInput in, UUID uid, String source, boolean demo, String prefix, LocalDate today) {
        List<Issue> issues = new ArrayList<>();
        AssetKind kind = null;
        if (in.kind() == null) {
            issues.add(issue(prefix + "kind", prefix + "kind is required: place, service or people"));
        } else {
            kind = AssetKind.find(in.kind()).orElse(null);
            if (kind == null) issues.add(issue(prefix + "kind", AssetKind.unknown(in.kind(), prefix + "kind")));
        }
        if (kind == null) return Checked.malformed(issues); // the other checks depend on the kind
        if (in.category() == null || in.category().isBlank()) {
            issues.add(issue(prefix + "category", prefix + "category is required: an asset category code"));
        }
        requiredText(in.name(), prefix + "name", 300).ifPresent(issues::add);
        Set<String> types = kind == AssetKind.SERVICE ? Set.of("Point") : Set.of("Point", "Polygon", "MultiPolygon");
        int before = issues.size();
        Geometry geometry = GeoJsonGeometry.read(in.geometry(), prefix + "geometry", types, issues);
        Geometry area = in.serviceArea() == null ? null
                : GeoJsonGeometry.read(in.serviceArea().geometry(), prefix + "service_area.geometry", Set.of("Polygon", "MultiPolygon"), issues);
        boolean geometriesRead = issues.size() == before;
        checkFields(in, kind, prefix, issues, today);
        if (!geometriesRead) return Checked.malformed(issues); // a geometry that could not be read is not missing
        return new AssetDraft(uid, kind, in, geometry, area, source, demo).checkGeometries(prefix, issues);
    }

    /** The same asset with a geometry read elsewhere (CSV, Open Referral), checked the same way. */
    static Checked withGeometry(AssetInput in, UUID uid, Geometry geometry, Geometry serviceArea, String source,
                                boolean demo, String prefix, LocalDate today) {
        List<Issue> issues = new ArrayList<>();
        AssetKind kind = AssetKind.find(in.kind()).orElse(null);
        if (kind == null) return Checked.malformed(List.of(issue(prefix + "kind", AssetKind.unknown(in.kind(), prefix + "kind"))));
        requiredText(in.name(), prefix + "name", 300).ifPresent(issues::add);
        if (kind == AssetKind.SERVICE && geometry != null && !"Point".equals(geometry.getGeometryType())) {
            issues.add(issue(prefix + "geometry", "a service's own geometry is the point where it is delivered"));
        }
        checkFields(in, kind, prefix, issues, today);
        return new AssetDraft(uid, kind, in, geometry, serviceArea, source, demo).checkGeometries(prefix, issues);
    }

    /** The geometry checks, after {@code issues} (the malformed values found so far). */
    private Checked checkGeometries(String prefix, List<Issue> issues) {
        if (kind == AssetKind.PLACE && geometry == null) {
            issues.add(issue(prefix + "geometry", "a place needs a geometry (a GeoJSON Point or Polygon in WGS84)"));
        }
        if (serviceArea != null && kind != AssetKind.SERVICE && input.serviceArea() == null) { // else checkFields said so
            issues.add(issue(prefix + "service_area", "only services have a service area"));
        }
        if (!issues.isEmpty()) return Checked.malformed(issues);
        List<Issue> invalid = new ArrayList<>();
        if (geometry != null) {
            GeoJsonGeometry.invalidity(geometry).ifPresent(reason -> invalid.add(issue(prefix + "geometry",
                    "invalid " + geometry.getGeometryType().toLowerCase() + ": " + reason)));
        }
        if (serviceArea != null) {
            GeoJsonGeometry.invalidity(serviceArea).ifPresent(reason -> invalid.add(issue(prefix + "service_area.geometry",
                    "invalid service area polygon: " + reason)));
        }
        return invalid.isEmpty() ? Checked.of(this) : new Checked(null, List.of(), List.copyOf(invalid));
    }

    private static void checkFields(AssetInput in, AssetKind kind, String prefix, List<Issue> issues, LocalDate today) {
        optionalText(in.description(), prefix + "description", MAX_TEXT).ifPresent(issues::add);
        if (in.status() != null && !STATUSES.contains(in.status())) {
            issues.add(issue(prefix + "status", "status must be active, inactive, defunct or temporarily closed, not '" + in.status() + "'"));
        }
        email(in.email(), prefix + "email").ifPresent(issues::add);
        url(in.url(), prefix + "url").ifPresent(issues::add);
        if (in.lastChecked() != null && in.lastChecked().isAfter(today.plusDays(1))) {
            issues.add(issue(prefix + "last_checked", "last_checked " + in.lastChecked() + " is in the future"));
        }
        if (in.organisation() != null) {
            if (in.organisation().id() == null) requiredText(in.organisation().name(), prefix + "organisation.name", 300).ifPresent(issues::add);
            else optionalText(in.organisation().name(), prefix + "organisation.name", 300).ifPresent(issues::add);
            email(in.organisation().email(), prefix + "organisation.email").ifPresent(issues::add);
            url(in.organisation().url(), prefix + "organisation.url").ifPresent(issues::add);
        }
        List<AssetInput.Contact> contacts = in.contactsOrEmpty();
        for (int i = 0; i < contacts.size(); i++) {
            AssetInput.Contact c = contacts.get(i);
            String at = prefix + "contacts[" + i + "]";
            if (c == null) {
                issues.add(issue(at, at + " is null"));
                continue;
            }
            email(c.email(), at + ".email").ifPresent(issues::add);
            if (isBlank(c.name()) && isBlank(c.title()) && isBlank(c.email()) && (c.phones() == null || c.phones().isEmpty())) {
                issues.add(issue(at, at + " is empty: give a name, title, email or phone"));
            }
        }
        List<AssetInput.Schedule> schedules = in.schedulesOrEmpty();
        for (int i = 0; i < schedules.size(); i++) {
            AssetInput.Schedule s = schedules.get(i);
            String at = prefix + "schedules[" + i + "]";
            if (s == null) {
                issues.add(issue(at, at + " is null"));
                continue;
            }
            time(s.opensAt(), at + ".opens_at").ifPresent(issues::add);
            time(s.closesAt(), at + ".closes_at").ifPresent(issues::add);
            byday(s.byday(), at + ".byday").ifPresent(issues::add);
            freq(s.freq(), at + ".freq").ifPresent(issues::add);
            if (s.interval() != null && s.interval() < 1) issues.add(issue(at + ".interval", "interval must be 1 or more"));
            dates(s.validFrom(), s.validTo(), at + ".valid_to").ifPresent(issues::add);
        }
        List<AssetInput.Eligibility> eligibility = in.eligibilityOrEmpty();
        for (int i = 0; i < eligibility.size(); i++) {
            AssetInput.Eligibility e = eligibility.get(i);
            String at = prefix + "eligibility[" + i + "]";
            if (e == null) {
                issues.add(issue(at, at + " is null"));
                continue;
            }
            ages(e.minimumAge(), e.maximumAge(), at).ifPresent(issues::add);
        }
        List<AssetInput.CostOption> costs = in.costOptionsOrEmpty();
        for (int i = 0; i < costs.size(); i++) {
            AssetInput.CostOption c = costs.get(i);
            String at = prefix + "cost_options[" + i + "]";
            if (c == null) {
                issues.add(issue(at, at + " is null"));
                continue;
            }
            amount(c.amount(), at + ".amount").ifPresent(issues::add);
            dates(c.validFrom(), c.validTo(), at + ".valid_to").ifPresent(issues::add);
        }
        List<String> languages = in.languagesOrEmpty();
        for (int i = 0; i < languages.size(); i++) requiredText(languages.get(i), prefix + "languages[" + i + "]", 100).ifPresent(issues::add);
        if (in.serviceArea() != null && kind != AssetKind.SERVICE) {
            issues.add(issue(prefix + "service_area", "only services have a service area"));
        }
        if (in.serviceArea() != null && in.serviceArea().wards() != null) {
            for (int i = 0; i < in.serviceArea().wards().size(); i++) {
                requiredText(in.serviceArea().wards().get(i), prefix + "service_area.wards[" + i + "]", 64).ifPresent(issues::add);
            }
        }
    }

    // The single-value checks below answer the issue with the value, or empty when it is fine; the
    // importers use them too.

    static Optional<Issue> requiredText(String value, String field, int max) {
        if (value == null || value.isBlank()) return Optional.of(issue(field, field + " is required"));
        return optionalText(value, field, max);
    }

    static Optional<Issue> optionalText(String value, String field, int max) {
        if (value != null && value.length() > max) return Optional.of(issue(field, field + " is longer than " + max + " characters"));
        return Optional.empty();
    }

    static Optional<Issue> time(String value, String field) {
        if (value != null && !TIME.matcher(value).matches()) {
            return Optional.of(issue(field, field + " must be a time like 09:30 or 16:00:00, not '" + value + "'"));
        }
        return Optional.empty();
    }

    static Optional<Issue> byday(String value, String field) {
        if (value != null && !value.isBlank() && !BYDAY.matcher(value.replace(" ", "")).matches()) {
            return Optional.of(issue(field, field + " must be iCal days like MO,WE,FR (or 1MO for the first Monday), not '" + value + "'"));
        }
        return Optional.empty();
    }

    static Optional<Issue> freq(String value, String field) {
        if (value != null && !value.isBlank() && !FREQS.contains(value)) {
            return Optional.of(issue(field, field + " must be DAILY, WEEKLY, MONTHLY or YEARLY, not '" + value + "'"));
        }
        return Optional.empty();
    }

    static Optional<Issue> ages(Integer min, Integer max, String field) {
        if (min != null && (min < 0 || min > 130)) return Optional.of(issue(field + ".minimum_age", "minimum_age must be from 0 to 130"));
        if (max != null && (max < 0 || max > 130)) return Optional.of(issue(field + ".maximum_age", "maximum_age must be from 0 to 130"));
        if (min != null && max != null && min > max) {
            return Optional.of(issue(field + ".maximum_age", "maximum_age (" + max + ") is below minimum_age (" + min + ")"));
        }
        return Optional.empty();
    }

    static Optional<Issue> amount(BigDecimal amount, String field) {
        if (amount != null && amount.signum() < 0) return Optional.of(issue(field, field + " must not be negative"));
        return Optional.empty();
    }

    static Optional<Issue> dates(LocalDate from, LocalDate to, String field) {
        if (from != null && to != null && to.isBefore(from)) {
            return Optional.of(issue(field, field + " (" + to + ") is before valid_from (" + from + ")"));
        }
        return Optional.empty();
    }

    static Optional<Issue> email(String value, String field) {
        if (value != null && !value.isBlank() && !EMAIL.matcher(value).matches()) {
            return Optional.of(issue(field, field + " '" + value + "' is not an email address"));
        }
        return Optional.empty();
    }

    static Optional<Issue> url(String value, String field) {
        if (value != null && !value.isBlank() && !(value.startsWith("http://") || value.startsWith("https://"))) {
            return Optional.of(issue(field, field + " must be an http(s) URL, not '" + value + "'"));
        }
        return Optional.empty();
    }

    /** An error about {@code field}; where it is (a line, a service) is the caller's to say. */
    private static Issue issue(String field, String message) {
        return Issue.error(null, field, message);
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
