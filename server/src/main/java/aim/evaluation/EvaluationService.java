package aim.evaluation;

import aim.accounts.User;
import aim.areas.AreaPeriods;
import aim.boundaries.BoundarySet;
import aim.core.DomainException;
import aim.core.Json;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;
import aim.problems.ProblemPlace;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an intervention ({@link EvaluationQuery}) for a caller: resolves the place and the periods,
 * counts the zones ({@link EvaluationRepository}) and computes RES and WDQ ({@link EffectSize}). For an
 * action the place is its problem's, the after period its operation dates (or the given after_from/after_to)
 * and, unless given, the before period is the same length just before it ({@link AreaPeriods}: whole
 * months against whole months, otherwise days against days).
 */
public final class EvaluationService {
    /** At most this many control wards may be named. */
    static final int MAX_CONTROL_WARDS = 500;
    static final int MAX_SUGGESTIONS = 20;

    private final EvaluationRepository repository;
    private final ProblemPlace places;

    public EvaluationService(DataSource dataSource, ProblemPlace places) {
        this.repository = new EvaluationRepository(dataSource);
        this.places = places;
    }

    /** The place, periods and filter of a query, resolved and checked. */
    private record Resolved(Evaluation.Subject subject, byte[] ewkb, List<String> categories, LocalDate beforeFrom, LocalDate beforeTo,
                            LocalDate afterFrom, LocalDate afterTo, BoundarySet wards) {
    }

    public Evaluation evaluate(EvaluationQuery q, User caller) {
        Resolved r = resolve(q, caller);
        List<String> controlCodes = controls(q.control(), r.wards());
        IncidentFilter filter = new IncidentFilter(null, null, r.categories(), q.sources(), null, caller);
        EvaluationRepository.ZoneCounts counts = repository.counts(r.ewkb(), r.wards().id(), controlCodes, q.buffer(), filter,
                r.beforeFrom(), r.beforeTo(), r.afterFrom(), r.afterTo());
        EffectSize.Res res = EffectSize.res(counts.target(), counts.control());
        Double wdq = EffectSize.wdq(counts.target(), counts.buffer(), counts.control());
        EffectReading reading = EffectReading.of(counts.target(), counts.buffer(), counts.control(), res, wdq);
        EvaluationRepository.Shapes shapes = repository.shapes(r.ewkb(), r.wards().id(), controlCodes, q.buffer());
        Evaluation.Periods periods = new Evaluation.Periods(period(r.beforeFrom(), r.beforeTo()), period(r.afterFrom(), r.afterTo()));
        return new Evaluation(r.subject(), r.categories(), q.sources(), periods, q.buffer(),
                new Evaluation.Control(controlCodes == null ? "borough" : "wards", controlCodes, r.wards().version()),
                counts.target(), counts.buffer(), counts.control(), res, wdq, reading,
                new Evaluation.Zones(geo(shapes.target()), geo(shapes.buffer()), geo(shapes.control())),
                notes(r, res), Redaction.note(caller));
    }

    /**
     * Evaluations of the operations (actions with dates, not cancelled) the caller may see that ended in
     * [from, to], latest first, at most {@code limit}: each against the borough with a 500 m buffer, its
     * problem's categories, before = the same length before the operation.
     */
    public List<Evaluation> operationsEnded(LocalDate from, LocalDate to, User caller, int limit) {
        List<Evaluation> out = new ArrayList<>();
        for (long id : repository.operationsEnded(from, to, caller, limit)) {
            out.add(evaluate(new EvaluationQuery(null, id, List.of(), List.of(), null, null, null, null, null, 500), caller));
        }
        return out;
    }

    /** The k current wards most like the target in the before period (level and trend of monthly counts). */
    public List<ControlSuggestions.Suggestion> suggestControls(EvaluationQuery q, int k, User caller) {
        Resolved r = resolve(q, caller);
        IncidentFilter filter = new IncidentFilter(null, null, r.categories(), q.sources(), null, caller);
        Map<String, String> names = new HashMap<>();
        Map<String, Map<String, Long>> monthly = repository.monthly(r.ewkb(), r.wards().id(), filter, r.beforeFrom(), r.beforeTo(), names);
        List<String> months = new ArrayList<>();
        for (YearMonth m = YearMonth.from(r.beforeFrom()); !m.isAfter(YearMonth.from(r.beforeTo())); m = m.plusMonths(1)) {
            months.add(m.toString());
        }
        Set<String> excluded = Set.copyOf(repository.overlapping(r.ewkb(), r.wards().id()));
        List<ControlSuggestions.Candidate> candidates = new ArrayList<>();
        names.forEach((code, name) -> {
            if (!excluded.contains(code)) candidates.add(new ControlSuggestions.Candidate(code, name, series(monthly.get(code), months)));
        });
        candidates.sort(java.util.Comparator.comparing(ControlSuggestions.Candidate::code));
        return ControlSuggestions.rank(series(monthly.get(""), months), candidates, k);
    }

    private static long[] series(Map<String, Long> counts, List<String> months) {
        long[] out = new long[months.size()];
        for (int n = 0; n < out.length; n++) out[n] = counts == null ? 0 : counts.getOrDefault(months.get(n), 0L);
        return out;
    }

    private Resolved resolve(EvaluationQuery q, User caller) {
        if (q.area() != null && q.action() != null) {
            throw DomainException.invalid("action", "give either area or action, not both");
        }
        if (q.area() == null && q.action() == null) {
            throw DomainException.invalid("area", "area is required (ward:CODE, neighbourhood:CODE or problem:ID), or give action=ID");
        }
        BoundarySet wards = places.wards("area");
        LocalDate afterFrom = q.afterFrom(), afterTo = q.afterTo();
        Evaluation.Subject subject;
        byte[] ewkb;
        List<String> categories = q.categories();
        if (q.action() != null) {
            EvaluationRepository.ActionPlace a = repository.action(q.action(), caller)
                    .orElseThrow(() -> DomainException.notFound("action", "no action " + q.action() + " that you may see"));
            if (afterFrom == null && afterTo == null) {
                if (a.startsOn() == null) {
                    throw DomainException.rejected("action", "action " + a.id() + " has no operation dates: give after_from and after_to", null);
                }
                afterFrom = a.startsOn();
                afterTo = a.endsOn();
            }
            subject = new Evaluation.Subject("problem:" + a.problemId(), a.place().label(), a.problemId(), a.id(), a.title());
            ewkb = a.place().ewkb();
            if (categories.isEmpty()) categories = a.place().categories();
        } else {
            String area = q.area().strip();
            if (area.startsWith("problem:")) {
                long id = problemId(area.substring("problem:".length()));
                EvaluationRepository.Place p = repository.problem(id)
                        .orElseThrow(() -> DomainException.notFound("area", "no problem " + id));
                subject = new Evaluation.Subject(area, p.label(), id, null, null);
                ewkb = p.ewkb();
                if (categories.isEmpty()) categories = p.categories();
            } else if (area.startsWith("ward:") || area.startsWith("neighbourhood:")) {
                ProblemPlace.Resolved place = places.resolve(TextNode.valueOf(area));
                subject = new Evaluation.Subject(area, place.label(), null, null, null);
                ewkb = place.ewkb();
            } else {
                throw DomainException.invalid("area", "area is ward:CODE, neighbourhood:CODE or problem:ID, not '" + q.area() + "'");
            }
        }
        if (afterFrom == null) throw DomainException.invalid("after_from", "after_from is required (a date like 2024-04-01)");
        if (afterTo == null) throw DomainException.invalid("after_to", "after_to is required (a date like 2024-04-01)");
        check(afterFrom, afterTo, "after");
        LocalDate beforeFrom = q.beforeFrom(), beforeTo = q.beforeTo();
        if (beforeFrom == null && beforeTo == null) {
            AreaPeriods p = AreaPeriods.of(afterFrom, afterTo);
            beforeFrom = p.previousFrom();
            beforeTo = p.previousTo();
        } else if (beforeFrom == null) {
            throw DomainException.invalid("before_from", "before_from is required with before_to");
        } else if (beforeTo == null) {
            throw DomainException.invalid("before_to", "before_to is required with before_from");
        }
        check(beforeFrom, beforeTo, "before");
        if (!beforeTo.isBefore(afterFrom)) {
            throw DomainException.invalid("before_to", "the before period must end before the after period starts (before_to "
                    + beforeTo + ", after_from " + afterFrom + ")");
        }
        return new Resolved(subject, ewkb, categories, beforeFrom, beforeTo, afterFrom, afterTo, wards);
    }

    private static long problemId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid("area", "problem:ID needs a problem number, not '" + text + "'");
    }

    private static void check(LocalDate from, LocalDate to, String period) {
        for (var d : List.of(Map.entry(period + "_from", from), Map.entry(period + "_to", to))) {
            if (d.getValue().isBefore(EvaluationQuery.EARLIEST) || d.getValue().isAfter(EvaluationQuery.LATEST)) {
                throw DomainException.invalid(d.getKey(), d.getKey() + " must lie between " + EvaluationQuery.EARLIEST + " and "
                        + EvaluationQuery.LATEST);
            }
        }
        if (to.isBefore(from)) throw DomainException.invalid(period + "_to", period + "_to (" + to + ") is before " + period + "_from (" + from + ")");
        if (ChronoUnit.DAYS.between(from, to) + 1 > EvaluationQuery.MAX_DAYS) {
            throw DomainException.invalid(period + "_from", "a period covers at most " + EvaluationQuery.MAX_DAYS + " days");
        }
    }

    /** The control ward codes (null: the borough); 422 naming control for codes that are not current wards. */
    private List<String> controls(List<String> codes, BoundarySet wards) {
        if (codes == null) return null;
        if (codes.isEmpty()) throw DomainException.invalid("control", "control is borough or ward:CODE,…");
        if (codes.size() > MAX_CONTROL_WARDS) throw DomainException.invalid("control", "at most " + MAX_CONTROL_WARDS + " control wards");
        List<String> unknown = repository.unknownWards(wards.id(), codes);
        if (!unknown.isEmpty()) {
            throw DomainException.rejected("control", "not wards of the current version " + wards.version() + ": " + String.join(", ", unknown), null);
        }
        return codes;
    }

    private static Evaluation.Period period(LocalDate from, LocalDate to) {
        return new Evaluation.Period(from, to, ChronoUnit.DAYS.between(from, to) + 1);
    }

    private static List<String> notes(Resolved r, EffectSize.Res res) {
        List<String> notes = new ArrayList<>();
        notes.add("Incidents are placed at the point you may see; area-only incidents (no point) are not counted.");
        boolean split = false;
        for (LocalDate d : List.of(r.beforeFrom(), r.afterFrom())) split |= d.getDayOfMonth() != 1;
        for (LocalDate d : List.of(r.beforeTo(), r.afterTo())) split |= !d.equals(YearMonth.from(d).atEndOfMonth());
        if (split) {
            notes.add("A period starts or ends inside a month: month-precise police.uk incidents of a month not wholly inside a period "
                    + "are not counted in it.");
        }
        if (res.zeroCorrection()) notes.add("A count is zero: RES and its interval use every count plus 0.5 (Haldane–Anscombe).");
        return notes;
    }

    private static JsonNode geo(String text) {
        if (text == null) return null;
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostGIS wrote invalid GeoJSON", e);
        }
    }
}
