package aim.indicators;

import aim.accounts.User;
import aim.areas.AreaStatisticsRepository;
import aim.areas.PoissonChange;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.StudyArea;
import aim.core.DomainException;
import aim.hotspots.FinancialQuarter;
import aim.incidents.IncidentFilter;
import aim.incidents.Taxonomy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The indicator table: for each indicator and each area of a level (wards, neighbourhoods, zones, or LSOAs
 * for imported indicators only: the LSOAs of the current LSOA set whose point-on-surface lies in a ward of the
 * study area, each with its own values, for the LSOA choropleth), one cell
 * per month or UK financial-year quarter with its value, the previous period's value, the change, whether the
 * change is significant and a RAG status against the area's target.
 *
 * <ul>
 *   <li><b>Computed</b> indicators count incidents (the category group's categories, the source group's
 *       sources) per area and month from {@link AreaStatisticsRepository#monthlyCountsByArea} (the rollups, at
 *       the place the viewer may see: {@link aim.incidents.Redaction}); a neighbourhood is the sum of its
 *       wards. Rate = count × 1,000 / the area's latest population. Periods are always whole months or
 *       quarters (the window is widened to them), so month-precise police.uk rows count in their month.</li>
 *   <li><b>Imported</b> values count in the period containing their period's start (a count only when its
 *       whole period lies in that period). Several values for one area and period (months in a quarter,
 *       LSOAs in a ward, wards in a neighbourhood) combine: counts are summed; survey percentages are pooled
 *       (Σ value·n / Σ n, n = Σ n); scores are averaged weighted by the population of the areas they were
 *       given for (the latest period's scores only; equal weights when a population is missing).</li>
 *   <li><b>Change tests</b>: counts by the exact Poisson test with the periods' lengths in days as exposures
 *       ({@link PoissonChange}); surveys by the two-proportion z test ({@link ChangeTests}); scores none.</li>
 * </ul>
 */
public final class IndicatorTable {
    public static final int MAX_PERIODS = 120;

    private final IndicatorRepository repository;
    private final AreaStatisticsRepository areas;
    private final BoundaryRepository boundaries;

    public IndicatorTable(IndicatorRepository repository, AreaStatisticsRepository areas, BoundaryRepository boundaries) {
        this.repository = repository;
        this.areas = areas;
        this.boundaries = boundaries;
    }

    /** Month or financial-year quarter. */
    public enum Interval {
        MONTH, QUARTER;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        LocalDate start(LocalDate date) {
            return this == MONTH ? date.withDayOfMonth(1) : FinancialQuarter.of(date).start();
        }

        LocalDate end(LocalDate start) {
            return this == MONTH ? YearMonth.from(start).atEndOfMonth() : FinancialQuarter.of(start).end();
        }

        String label(LocalDate start) {
            return this == MONTH ? YearMonth.from(start).toString() : FinancialQuarter.of(start).label();
        }
    }

    public record Period(String label, LocalDate start, LocalDate end) {
        long days() {
            return ChronoUnit.DAYS.between(start, end) + 1;
        }

        boolean contains(LocalDate d) {
            return !d.isBefore(start) && !d.isAfter(end);
        }
    }

    /** The whole periods from the one containing {@code from} to the one containing {@code to}. */
    public static List<Period> periods(Interval interval, LocalDate from, LocalDate to) {
        List<Period> out = new ArrayList<>();
        for (LocalDate s = interval.start(from); !s.isAfter(to); s = interval.end(s).plusDays(1)) {
            out.add(new Period(interval.label(s), s, interval.end(s)));
        }
        return out;
    }

    /** How many periods {@link #periods} would return (to refuse absurd windows first). */
    public static long periodCount(Interval interval, LocalDate from, LocalDate to) {
        long months = ChronoUnit.MONTHS.between(YearMonth.from(interval.start(from)), YearMonth.from(to)) + 1;
        return interval == Interval.MONTH ? months : (months + 2) / 3;
    }

    public record Area(String code, String name, Integer population) {
    }

    /**
     * One period of one area. {@code value}: the count, the survey percentage or the score; {@code rate}: per
     * 1,000 residents (counts with a population); {@code n}, {@code low}, {@code high}: survey sample and 95 %
     * interval; {@code change}: value − previous (percentage points for surveys); {@code pValue} and
     * {@code significant}: the change test (null when either period has no value or the kind has no test).
     */
    public record Cell(String period, Double value, Double rate, Integer n, Double low, Double high, Double previous,
                       Double previousRate, Double change, Double changePercent, Double pValue, Boolean significant,
                       Double target, String targetMeasure, String rag) {
    }

    public record Row(String indicator, Area area, List<Cell> cells) {
    }

    public record Table(BoundaryLevel level, BoundarySet set, BoundarySet wards, Interval interval, List<Period> periods,
                        List<Indicator> indicators, List<Row> rows, User viewer) {
    }

    /**
     * The table of {@code codes} (empty: every indicator) for every area of {@code level} on the ward version of
     * {@code study} (zones: {@code zoneVersion}, or the one current zone set), over whole periods from the one
     * containing {@code from} to the one containing {@code to}, as {@code viewer} may see the incidents.
     */
    public Table build(BoundaryLevel level, StudyArea study, String zoneVersion, Interval interval, LocalDate from, LocalDate to,
                       List<String> codes, User viewer, Taxonomy taxonomy) {
        List<Indicator> all = repository.all();
        List<Indicator> chosen = new ArrayList<>();
        // LSOAs have imported values only: incidents are counted by ward, neighbourhood or zone (the rollups)
        if (codes.isEmpty()) chosen.addAll(level == BoundaryLevel.LSOA ? all.stream().filter(i -> i.kind() != IndicatorKind.COMPUTED).toList() : all);
        for (String code : codes) {
            Indicator indicator = all.stream().filter(i -> i.code().equals(code)).findFirst().orElseThrow(() -> DomainException.invalid("indicator",
                    "unknown indicator '" + code + "': expected one of " + String.join(", ", all.stream().map(Indicator::code).toList())));
            if (level == BoundaryLevel.LSOA && indicator.kind() == IndicatorKind.COMPUTED) {
                throw DomainException.invalid("indicator", "'" + code + "' is counted from incidents by ward, neighbourhood or zone;"
                        + " level=lsoa shows imported indicators (survey, count, score) only");
            }
            chosen.add(indicator);
        }
        List<Period> periods = periods(interval, from, to);
        Period before = periods(interval, periods.get(0).start().minusDays(1), periods.get(0).start().minusDays(1)).get(0);
        List<Period> withBefore = new ArrayList<>();
        withBefore.add(before);
        withBefore.addAll(periods);

        BoundarySet wards = study.wards();
        BoundarySet set = switch (level) {
            case WARD -> wards;
            case NEIGHBOURHOOD -> boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                    DomainException.notFound("level", "no neighbourhoods are defined on ward version " + wards.version()));
            case ZONE -> zones(zoneVersion);
            case LSOA -> aim.boundaries.BoundaryVersions.one(boundaries, BoundaryLevel.LSOA, null);
        };
        BoundarySet countedSet = level == BoundaryLevel.ZONE || level == BoundaryLevel.LSOA ? set : wards;
        // the area of the level each counted area (ward or zone) belongs to
        Map<Long, Long> parent = new HashMap<>();
        if (level == BoundaryLevel.NEIGHBOURHOOD) {
            areas.neighbourhoodWards(set).forEach((n, ws) -> ws.forEach(w -> parent.put(w, n)));
        }
        List<AreaStatisticsRepository.Area> listed = areas.areas(set);
        if (level == BoundaryLevel.LSOA) {
            // the LSOAs of the study area: those whose point-on-surface lies in one of its wards
            java.util.Set<Long> inside = repository.lsoasIn(set, wards);
            listed = listed.stream().filter(a -> inside.contains(a.id())).toList();
        }
        if (level != BoundaryLevel.NEIGHBOURHOOD) listed.forEach(a -> parent.put(a.id(), a.id()));
        Map<Long, Integer> populationOf = new HashMap<>();
        for (AreaStatisticsRepository.Area a : areas.areas(countedSet)) if (a.population() != null) populationOf.put(a.id(), a.population());

        List<Indicator> imported = chosen.stream().filter(i -> i.kind() != IndicatorKind.COMPUTED).toList();
        Map<String, List<IndicatorRepository.AreaValue>> importedValues = new HashMap<>();
        if (!imported.isEmpty()) {
            for (IndicatorRepository.AreaValue v : repository.values(imported.stream().map(Indicator::code).toList(),
                    before.start(), periods.get(periods.size() - 1).end(), countedSet)) {
                importedValues.computeIfAbsent(v.indicator(), k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, List<IndicatorRepository.Target>> targets = new HashMap<>();
        for (IndicatorRepository.Target t : repository.targets(chosen.stream().map(Indicator::code).toList())) {
            targets.computeIfAbsent(t.indicator(), k -> new ArrayList<>()).add(t);
        }

        List<Row> rows = new ArrayList<>();
        for (Indicator indicator : chosen) {
            // per listed area id: one aggregate per period (index 0 is the period before the first)
            Map<Long, Agg[]> byArea = new HashMap<>();
            for (AreaStatisticsRepository.Area a : listed) {
                Agg[] aggs = new Agg[withBefore.size()];
                for (int p = 0; p < aggs.length; p++) aggs[p] = new Agg();
                byArea.put(a.id(), aggs);
            }
            if (indicator.kind() == IndicatorKind.COMPUTED) {
                List<String> categories = indicator.categoryGroup() == null ? List.of() : taxonomy.categories().stream()
                        .filter(c -> c.group().equals(indicator.categoryGroup())).map(Taxonomy.Category::code).toList();
                IncidentFilter filter = new IncidentFilter(before.start(), periods.get(periods.size() - 1).end(), categories,
                        indicator.incidentSources(), study, viewer);
                if (indicator.categoryGroup() != null && categories.isEmpty()) filter = null; // a group without categories counts nothing
                Map<Long, Map<YearMonth, Long>> counts = filter == null ? Map.of() : areas.monthlyCountsByArea(countedSet, filter);
                for (AreaStatisticsRepository.Area a : listed) {
                    Agg[] aggs = byArea.get(a.id());
                    for (Agg agg : aggs) agg.count = 0.0; // computed counts are known in every period (0 when none)
                }
                counts.forEach((areaId, months) -> {
                    Agg[] aggs = byArea.get(parent.get(areaId));
                    if (aggs == null) return;
                    months.forEach((month, n) -> {
                        for (int p = 0; p < withBefore.size(); p++) {
                            if (withBefore.get(p).contains(month.atDay(1))) aggs[p].count += n;
                        }
                    });
                });
            } else {
                for (IndicatorRepository.AreaValue v : importedValues.getOrDefault(indicator.code(), List.of())) {
                    Agg[] aggs = byArea.get(parent.get(v.areaId()));
                    if (aggs == null) continue;
                    for (int p = 0; p < withBefore.size(); p++) {
                        Period period = withBefore.get(p);
                        if (!period.contains(v.start())) continue;
                        if (indicator.kind() == IndicatorKind.COUNT && v.end().isAfter(period.end())) continue;
                        aggs[p].add(indicator.kind(), v);
                    }
                }
            }
            for (AreaStatisticsRepository.Area a : listed) {
                Agg[] aggs = byArea.get(a.id());
                IndicatorRepository.Target target = target(targets.getOrDefault(indicator.code(), List.of()), a.code());
                List<Cell> cells = new ArrayList<>();
                for (int p = 1; p < withBefore.size(); p++) {
                    cells.add(cell(indicator, withBefore.get(p), aggs[p], withBefore.get(p - 1), aggs[p - 1], a.population(), target));
                }
                rows.add(new Row(indicator.code(), new Area(a.code(), a.name(), a.population()), cells));
            }
        }
        return new Table(level, set, wards, interval, periods, chosen, rows, viewer);
    }

    private BoundarySet zones(String version) {
        List<BoundarySet> sets = aim.boundaries.BoundaryVersions.resolve(boundaries, BoundaryLevel.ZONE, version);
        if (sets.isEmpty()) throw DomainException.notFound("level", "no zone boundaries are loaded");
        if (sets.size() > 1) {
            throw DomainException.invalid("zones", "several zone layers are current: name one with zones="
                    + String.join(" or zones=", sets.stream().map(BoundarySet::version).toList()));
        }
        return sets.get(0);
    }

    private static IndicatorRepository.Target target(List<IndicatorRepository.Target> targets, String code) {
        IndicatorRepository.Target any = null;
        for (IndicatorRepository.Target t : targets) {
            if (t.areaCode().equals(code)) return t;
            if (t.areaCode().equals("*")) any = t;
        }
        return any;
    }

    /** What is known of one area in one period. */
    static final class Agg {
        Double count;          // counts: the sum; null when no value was given
        double x;              // surveys: Σ value·n/100 (the respondents answering yes)
        long n;                // surveys: Σ n
        LocalDate scoreStart;  // scores: the latest period's start, and its {value, weight} pairs
        List<double[]> scores = new ArrayList<>();

        void add(IndicatorKind kind, IndicatorRepository.AreaValue v) {
            switch (kind) {
                case COUNT -> count = (count == null ? 0 : count) + v.value();
                case SURVEY -> {
                    x += v.value() * v.n() / 100;
                    n += v.n();
                }
                case SCORE -> {
                    // only the latest period's scores are averaged
                    if (scoreStart == null || v.start().isAfter(scoreStart)) {
                        scoreStart = v.start();
                        scores.clear();
                    }
                    if (v.start().equals(scoreStart)) scores.add(new double[]{v.value(), v.weight() == null ? Double.NaN : v.weight()});
                }
                default -> throw new IllegalStateException(kind.id());
            }
        }

        Double value(IndicatorKind kind) {
            return switch (kind) {
                case COMPUTED, COUNT -> count;
                case SURVEY -> n == 0 ? null : x * 100 / n;
                case SCORE -> {
                    if (scores.isEmpty()) yield null;
                    boolean weighted = scores.stream().allMatch(s -> !Double.isNaN(s[1])) && scores.stream().mapToDouble(s -> s[1]).sum() > 0;
                    double sum = 0, weights = 0;
                    for (double[] s : scores) {
                        double w = weighted ? s[1] : 1;
                        sum += w * s[0];
                        weights += w;
                    }
                    yield sum / weights;
                }
            };
        }
    }

    static Cell cell(Indicator indicator, Period period, Agg agg, Period previousPeriod, Agg previousAgg, Integer population,
                     IndicatorRepository.Target target) {
        IndicatorKind kind = indicator.kind();
        Double value = agg.value(kind), previous = previousAgg.value(kind);
        boolean hasPopulation = population != null && population > 0;
        Double rate = kind.isCount() && value != null && hasPopulation ? round(value * 1000 / population, 2) : null;
        Double previousRate = kind.isCount() && previous != null && hasPopulation ? round(previous * 1000 / population, 2) : null;
        Integer n = kind == IndicatorKind.SURVEY && value != null ? (int) agg.n : null;
        Double low = null, high = null, pValue = null;
        if (kind == IndicatorKind.SURVEY && value != null) {
            double[] ci = ChangeTests.wilson(value, agg.n);
            low = round(ci[0], 1);
            high = round(ci[1], 1);
            if (previous != null) pValue = ChangeTests.twoProportionP(value, agg.n, previous, previousAgg.n);
        }
        if (kind.isCount() && value != null && previous != null) {
            pValue = PoissonChange.test(Math.round(value), period.days(), Math.round(previous), previousPeriod.days()).pValue();
        }
        Double change = value != null && previous != null ? value - previous : null;
        Double changePercent = kind.isCount() && change != null && previous != 0 ? round(change * 100 / previous, 1) : null;
        Double compared = target == null ? null : target.measure().equals("rate") ? rate : value;
        String rag = target == null ? null : Rag.status(compared, target.target(), target.tolerancePercent(), indicator.upIsGood());
        int decimals = kind == IndicatorKind.SURVEY ? 1 : kind == IndicatorKind.SCORE ? 3 : 0;
        return new Cell(period.label(), round(value, decimals), rate, n, low, high, round(previous, decimals), previousRate,
                round(change, decimals), changePercent, pValue, pValue == null ? null : pValue < ChangeTests.ALPHA,
                target == null ? null : target.target(), target == null ? null : target.measure(), rag);
    }

    static Double round(Double v, int decimals) {
        if (v == null) return null;
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
