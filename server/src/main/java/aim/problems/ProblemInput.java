package aim.problems;

import aim.accounts.Organisation;
import aim.accounts.Organisations;
import aim.core.DomainException;
import aim.incidents.Taxonomy;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the body of a problem's creation or change: a malformed value is a 400 problem naming the field,
 * an unknown category, organisation, neighbourhood or place a 422 problem naming it. Nothing is written.
 */
public final class ProblemInput {
    static final Set<String> FIELDS = Set.of("title", "categories", "area", "owner", "leadOrganisation", "stage",
            "objective", "target", "startDate", "reviewDate");
    private static final Set<String> PATCHABLE = Set.of("title", "categories", "area", "owner", "leadOrganisation",
            "stage", "objective", "target", "reviewDate");
    private static final Pattern OWNER = Pattern.compile("^(aim|nap:[A-Za-z0-9._-]{1,64})$");

    private final Taxonomy taxonomy;
    private final Organisations organisations;
    private final ProblemPlace places;

    public ProblemInput(Taxonomy taxonomy, Organisations organisations, ProblemPlace places) {
        this.taxonomy = taxonomy;
        this.organisations = organisations;
        this.places = places;
    }

    /** A new problem's fields; {@code today} is the default start date. */
    public ProblemFields forCreate(JsonNode body, LocalDate today) {
        unknownFields(body, FIELDS);
        String title = text(body, "title", 200, true);
        List<String> categories = categories(body.get("categories"));
        String owner = owner(body.get("owner"), true);
        String objective = text(body, "objective", 2000, true);
        String stage = body.hasNonNull("stage") ? stage(body.get("stage")) : "objective";
        if (stage.equals(ProblemStages.CLOSED)) throw DomainException.invalid("stage", "a new problem cannot be closed");
        LocalDate start = body.hasNonNull("startDate") ? date(body.get("startDate"), "startDate") : today;
        LocalDate review = body.hasNonNull("reviewDate") ? date(body.get("reviewDate"), "reviewDate") : null;
        if (review != null && review.isBefore(start)) throw DomainException.invalid("reviewDate", "the review date cannot be before the start date");
        ProblemTarget target = target(body.get("target"), start);
        Organisation lead = lead(body.get("leadOrganisation"));
        ProblemPlace.Resolved place = places.resolve(body.get("area"));
        return new ProblemFields(title, categories, place, owner, lead == null ? null : lead.id(), lead == null ? null : lead.code(),
                stage, objective, target, start, review, FIELDS);
    }

    /** The fields a change gives; the target's start defaults to the 1st of {@code startDate}'s month. */
    public ProblemFields forChange(JsonNode body, LocalDate startDate) {
        unknownFields(body, PATCHABLE);
        Set<String> given = new HashSet<>();
        body.fieldNames().forEachRemaining(given::add);
        String title = given.contains("title") ? text(body, "title", 200, true) : null;
        List<String> categories = given.contains("categories") ? categories(body.get("categories")) : null;
        String owner = given.contains("owner") ? owner(body.get("owner"), true) : null;
        String objective = given.contains("objective") ? text(body, "objective", 2000, true) : null;
        String stage = given.contains("stage") ? stage(body.get("stage")) : null;
        LocalDate review = given.contains("reviewDate") && !body.get("reviewDate").isNull() ? date(body.get("reviewDate"), "reviewDate") : null;
        ProblemTarget target = given.contains("target") ? target(body.get("target"), startDate) : null;
        Organisation lead = given.contains("leadOrganisation") ? lead(body.get("leadOrganisation")) : null;
        ProblemPlace.Resolved place = given.contains("area") ? places.resolve(body.get("area")) : null;
        return new ProblemFields(title, categories, place, owner, lead == null ? null : lead.id(), lead == null ? null : lead.code(),
                stage, objective, target, null, review, Set.copyOf(given));
    }

    static void unknownFields(JsonNode body, Set<String> allowed) {
        var names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) throw DomainException.invalid(name, "unknown field '" + name + "'");
        }
    }

    static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) throw DomainException.invalid(field, field + " is required");
            return null;
        }
        if (!v.isTextual()) throw DomainException.invalid(field, field + " must be text");
        String s = v.asText().strip();
        if (s.indexOf('\0') >= 0) throw DomainException.invalid(field, field + " cannot contain a NUL character");
        if (s.isEmpty() && required) throw DomainException.invalid(field, field + " is required");
        if (s.length() > max) throw DomainException.invalid(field, field + " can have at most " + max + " characters");
        return s.isEmpty() ? null : s;
    }

    static LocalDate date(JsonNode v, String field) {
        if (v == null || !v.isTextual()) throw DomainException.invalid(field, field + " must be a date like 2026-10-01");
        try {
            LocalDate d = LocalDate.parse(v.asText().strip());
            if (d.getYear() < 1990 || d.getYear() > 2200) throw DomainException.invalid(field, field + " is out of range");
            return d;
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, field + " must be a date like 2026-10-01, not '" + v.asText() + "'");
        }
    }

    private List<String> categories(JsonNode v) {
        if (v == null || !v.isArray() || v.isEmpty() || v.size() > 50) {
            throw DomainException.invalid("categories", "categories is a list of 1 to 50 incident category codes");
        }
        Set<String> codes = new LinkedHashSet<>();
        for (JsonNode c : v) {
            if (!c.isTextual()) throw DomainException.invalid("categories", "each category is a code such as 'anti-social-behaviour'");
            String code = c.asText().strip();
            if (taxonomy.byCode(code).isEmpty()) throw DomainException.rejected("categories", "unknown category '" + code + "'", null);
            codes.add(code);
        }
        return new ArrayList<>(codes);
    }

    private String owner(JsonNode v, boolean required) {
        if (v == null || v.isNull()) {
            if (required) throw DomainException.invalid("owner", "owner is 'aim' or 'nap:<neighbourhood code>'");
            return null;
        }
        String s = v.isTextual() ? v.asText().strip() : "";
        if (!OWNER.matcher(s).matches()) throw DomainException.invalid("owner", "owner is 'aim' or 'nap:<neighbourhood code>'");
        if (s.startsWith("nap:") && !places.neighbourhoodExists(s.substring(4))) {
            throw DomainException.rejected("owner", "no neighbourhood '" + s.substring(4) + "' in the current boundaries", null);
        }
        return s;
    }

    static String stage(JsonNode v) {
        if (v == null || !v.isTextual() || !ProblemStages.STAGES.contains(v.asText().strip())) {
            throw DomainException.invalid("stage", "stage is one of " + String.join(", ", ProblemStages.STAGES));
        }
        return v.asText().strip();
    }

    private Organisation lead(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw DomainException.invalid("leadOrganisation", "leadOrganisation is an organisation code");
        String code = v.asText().strip();
        if (code.indexOf('\0') >= 0) throw DomainException.invalid("leadOrganisation", "leadOrganisation cannot contain a NUL character");
        return organisations.byCode(code).orElseThrow(
                () -> DomainException.rejected("leadOrganisation", "no organisation with code '" + code + "'", null));
    }

    /** The target, or null for none; its start defaults to the 1st of {@code startDate}'s month. */
    static ProblemTarget target(JsonNode v, LocalDate startDate) {
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw DomainException.invalid("target", "target is {percent, months, baseline, start?} or null");
        unknownFields(v, Set.of("percent", "months", "baseline", "start"));
        JsonNode percent = v.get("percent");
        // stored to one decimal: a change that rounds to 0 % (e.g. 0.04) is no target either
        double value = percent != null && percent.isNumber() ? percent.asDouble() : Double.NaN;
        double rounded = Math.round(value * 10) / 10.0;
        if (!Double.isFinite(value) || rounded < -100 || rounded > 1000 || rounded == 0) {
            throw DomainException.invalid("target.percent", "percent is the change aimed for, from -100 to 1000 and not 0 (negative: reduce)");
        }
        JsonNode months = v.get("months");
        if (months == null || !months.isIntegralNumber() || months.asLong() < 1 || months.asLong() > 36) {
            throw DomainException.invalid("target.months", "months is a whole number from 1 to 36");
        }
        JsonNode baseline = v.get("baseline");
        String base = baseline == null || baseline.isNull() ? ProblemTarget.SAME_PERIOD_LAST_YEAR : baseline.asText();
        if (!base.equals(ProblemTarget.SAME_PERIOD_LAST_YEAR) && !base.equals(ProblemTarget.PREVIOUS_PERIOD)) {
            throw DomainException.invalid("target.baseline", "baseline is 'same-period-last-year' or 'previous-period'");
        }
        LocalDate start;
        if (v.hasNonNull("start")) {
            start = date(v.get("start"), "target.start");
            if (start.getDayOfMonth() != 1) throw DomainException.invalid("target.start", "a target starts on the 1st of a month");
        } else {
            start = startDate.withDayOfMonth(1);
        }
        return new ProblemTarget(rounded, months.asInt(), base, start);
    }
}
