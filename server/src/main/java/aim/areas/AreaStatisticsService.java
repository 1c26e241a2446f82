package aim.areas;

import aim.core.DomainException;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.StudyArea;
import aim.incidents.IncidentFilter;
import aim.incidents.Taxonomy;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts the area views together from the counts of {@link AreaStatisticsRepository}: statistics per
 * ward or neighbourhood (a neighbourhood's count is the sum of its wards' counts, so the levels always
 * agree), and series with their top categories for a ward, a neighbourhood, the borough or a grid cell.
 */
public final class AreaStatisticsService {
    static final int TOP_CATEGORIES = 5;

    private final BoundaryRepository boundaries;
    private final AreaStatisticsRepository repository;

    public AreaStatisticsService(BoundaryRepository boundaries, AreaStatisticsRepository repository) {
        this.boundaries = boundaries;
        this.repository = repository;
    }

    /**
     * Statistics of every area of {@code level} built on the filter's ward version, listed as the filter's
     * study area says (all; the one area; the wards of a neighbourhood; the neighbourhood of a ward), ranked
     * among all areas of the level.
     */
    public record Stats(BoundarySet set, BoundarySet wards, AreaPeriods periods, List<AreaStatistics.Row> rows,
                        long rankedAmong, AreaStatisticsRepository.WardCounts counts) {
    }

    public Stats stats(BoundaryLevel level, IncidentFilter filter) {
        AreaPeriods periods = AreaPeriods.of(filter.from(), filter.to());
        BoundarySet wards = filter.area().wards();
        BoundarySet set = level == BoundaryLevel.WARD ? wards : neighbourhoods(wards);
        AreaStatisticsRepository.WardCounts counts = repository.count(wards, periods, filter);
        List<AreaStatisticsRepository.Area> areas = repository.areas(set);
        Map<Long, List<Long>> members = level == BoundaryLevel.NEIGHBOURHOOD ? repository.neighbourhoodWards(set) : Map.of();
        List<AreaStatistics.Input> inputs = new ArrayList<>();
        for (AreaStatisticsRepository.Area a : areas) {
            AreaStatisticsRepository.Pair pair = level == BoundaryLevel.WARD ? counts.ward(a.id())
                    : members.getOrDefault(a.id(), List.of()).stream().map(counts::ward)
                    .reduce(new AreaStatisticsRepository.Pair(0, 0), AreaStatisticsRepository.Pair::plus);
            inputs.add(new AreaStatistics.Input(a.code(), a.name(), pair.current(), pair.previous(), a.population(), a.populationYear()));
        }
        List<AreaStatistics.Row> ranked = AreaStatistics.compute(inputs, periods.days(), periods.previousDays());
        Set<String> listed = listedCodes(filter.area(), level, set, areas);
        return new Stats(set, wards, periods, ranked.stream().filter(r -> listed.contains(r.code())).toList(),
                ranked.stream().filter(r -> r.rank() != null).count(), counts);
    }

    /** The area a series covers: its wards (null: every ward of the version), name and boundary version. */
    public record SeriesArea(String level, String code, String name, String version, Long[] wardIds) {
    }

    /** {@code level} null is the borough, whose code is {@code all}; unknown codes are 404 problems naming {@code code}. */
    public SeriesArea seriesArea(BoundaryLevel level, String code, BoundarySet wards) {
        if (level == null) {
            if (!code.equals("all")) throw DomainException.notFound("code", "the borough's code is 'all', not '" + code + "'");
            return new SeriesArea("borough", code, "borough (" + wards.version() + " wards)", wards.version(), null);
        }
        if (level == BoundaryLevel.WARD) {
            AreaStatisticsRepository.Area ward = find(repository.areas(wards), code, "ward", wards);
            return new SeriesArea("ward", code, ward.name(), wards.version(), new Long[]{ward.id()});
        }
        BoundarySet set = neighbourhoods(wards);
        AreaStatisticsRepository.Area n = find(repository.areas(set), code, "neighbourhood", set);
        return new SeriesArea("neighbourhood", code, n.name(), set.version(),
                repository.neighbourhoodWards(set).getOrDefault(n.id(), List.of()).toArray(Long[]::new));
    }

    public record TopCategory(String category, String label, long count) {
    }

    /** {@code topGroups}: the top categories under their groups (CategoryGroups), e.g. all anti-social behaviour as one. */
    public record Series(List<TimeSeries.Period> periods, List<TopCategory> topCategories, List<CategoryGroups.Entry> topGroups,
                         long count) {
    }

    /**
     * Counts per period between the filter's from and to (both given), and the area's top categories over
     * the same window, of the incidents as the filter's viewer may see them (a grid cell of any size
     * counts a generalised incident only when its square's centre is in the cell).
     */
    public Series series(BoundarySet wards, SeriesArea area, SeriesInterval interval, IncidentFilter filter, AreaGridCell cell,
                         Taxonomy taxonomy) {
        Map<YearMonth, Map<String, Long>> monthly = repository.monthlyCounts(wards, area.wardIds(), filter, cell);
        Map<YearMonth, Long> perMonth = new TreeMap<>();
        Map<String, Long> perCategory = new HashMap<>();
        monthly.forEach((month, byCategory) -> byCategory.forEach((category, n) -> {
            perMonth.merge(month, n, Long::sum);
            perCategory.merge(category, n, Long::sum);
        }));
        List<TimeSeries.Period> periods = TimeSeries.build(interval, filter.from(), filter.to(), perMonth);
        List<TopCategory> top = perCategory.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_CATEGORIES)
                .map(e -> new TopCategory(e.getKey(), taxonomy.byCode(e.getKey()).map(Taxonomy.Category::label).orElse(e.getKey()),
                        e.getValue()))
                .toList();
        return new Series(periods, top, CategoryGroups.top(perCategory, taxonomy, TOP_CATEGORIES),
                periods.stream().mapToLong(TimeSeries.Period::count).sum());
    }

    private BoundarySet neighbourhoods(BoundarySet wards) {
        return boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                DomainException.notFound("level", "no neighbourhoods are defined on ward version " + wards.version()));
    }

    private static AreaStatisticsRepository.Area find(List<AreaStatisticsRepository.Area> areas, String code, String what,
                                                      BoundarySet set) {
        return areas.stream().filter(a -> a.code().equals(code)).findFirst().orElseThrow(() ->
                DomainException.notFound("code", "no " + what + " '" + code + "' in version " + set.version()));
    }

    /** Which areas of the level the study area lists: all, the one, those of a neighbourhood, or those containing a ward. */
    private Set<String> listedCodes(StudyArea area, BoundaryLevel level, BoundarySet set, List<AreaStatisticsRepository.Area> areas) {
        if (area.code() == null) {
            Set<String> all = new HashSet<>();
            areas.forEach(a -> all.add(a.code()));
            return all;
        }
        if (area.level() == level) return Set.of(area.code());
        return new HashSet<>(repository.memberCodes(area.setId(), area.code(), area.level(), set.id()));
    }
}
