package aim.meetings;

import aim.accounts.User;
import aim.areas.AreaPeriods;
import aim.areas.AreaStatistics;
import aim.areas.AreaStatisticsRepository;
import aim.areas.AreaStatisticsService;
import aim.areas.PoissonChange;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.core.Council;
import aim.core.DomainException;
import aim.evaluation.EvaluationService;
import aim.hotspots.FinancialQuarter;
import aim.hotspots.HotCells;
import aim.hotspots.HotspotEngine;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a meeting's {@link Briefing} together for a caller. The window runs from the day after the
 * previous meeting (or three months before this one when there is none) to this meeting's date (or today,
 * when the pack is prepared before the meeting), unless
 * {@code from}/{@code to} are given. It reuses the domains that already own each figure: the area views
 * ({@link AreaStatisticsService}: counts, rates per 1,000, ranks, the exact Poisson test) for the headline
 * and the ward ranking, the hotspot engine ({@link HotspotEngine#hotCells}: Gi* with FDR on 250 m squares)
 * for new and intensifying hot spots, and the problems domain for target progress and action visibility.
 */
public final class BriefingService {
    /** Cell size of the hot spots, metres (a hotspot cell size the web map offers). */
    static final double CELL = 250;
    /** The longest window a briefing covers (the comparison windows double the incidents read). */
    static final long MAX_DAYS = 731;
    /** At most this many hot cells are listed per kind (all are drawn). */
    static final int MAX_CELLS = 50;
    static final int BOROUGH_ZOOM = 12, CELL_ZOOM = 16, PROBLEM_ZOOM = 15;

    private final MeetingRepository meetings;
    private final BriefingRepository repository;
    private final BoundaryRepository boundaries;
    private final AreaStatisticsService areas;
    private final HotspotEngine hotspots;
    private final EvaluationService evaluations;
    private final Clock clock;
    private final BriefingIndicators indicators;

    public BriefingService(MeetingRepository meetings, BriefingRepository repository, BoundaryRepository boundaries,
                           AreaStatisticsRepository areaStatistics, HotspotEngine hotspots, EvaluationService evaluations,
                           Clock clock, BriefingIndicators indicators) {
        this.indicators = indicators;
        this.meetings = meetings;
        this.repository = repository;
        this.boundaries = boundaries;
        this.areas = new AreaStatisticsService(boundaries, areaStatistics);
        this.hotspots = hotspots;
        this.evaluations = evaluations;
        this.clock = clock;
    }

    public Briefing briefing(long meetingId, LocalDate from, LocalDate to, User caller) {
        Meeting meeting = meetings.find(meetingId, caller).orElseThrow(() -> MeetingRepository.noMeeting(meetingId));
        LocalDate today = LocalDate.now(clock.withZone(Council.UK));
        // a pack prepared before the meeting covers the days that have data: up to today, not the meeting's date
        LocalDate end = to != null ? to : meeting.heldOn().isAfter(today) ? today : meeting.heldOn();
        LocalDate start = from != null ? from : meeting.previousMeeting() != null
                ? meeting.previousMeeting().heldOn().plusDays(1) : meeting.heldOn().minusMonths(3).plusDays(1);
        if (from == null && start.isAfter(end)) start = end; // two meetings on one day: the window is that day
        for (var d : List.of(java.util.Map.entry("from", start), java.util.Map.entry("to", end))) {
            if (d.getValue().isBefore(MeetingValidation.EARLIEST) || d.getValue().isAfter(MeetingValidation.LATEST)) {
                throw DomainException.invalid(d.getKey(), d.getKey() + " must lie between " + MeetingValidation.EARLIEST
                        + " and " + MeetingValidation.LATEST);
            }
        }
        if (end.isBefore(start)) throw DomainException.invalid("to", "to (" + end + ") is before from (" + start + ")");
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw DomainException.invalid("from", "a briefing covers at most " + MAX_DAYS + " days");
        }

        StudyArea borough = StudyArea.resolve(boundaries, null, null);
        IncidentFilter filter = new IncidentFilter(start, end, List.of(), List.of(), borough, caller);
        AreaPeriods periods = AreaPeriods.of(start, end);
        LocalDate lastYearFrom = start.minusYears(1), lastYearTo = end.minusYears(1);
        Briefing.Window window = new Briefing.Window(start, end, periods.days(), quarters(start, end), periods.previousFrom(),
                periods.previousTo(), quarters(periods.previousFrom(), periods.previousTo()), lastYearFrom, lastYearTo,
                quarters(lastYearFrom, lastYearTo));

        BriefingRepository.Extent extent = repository.extent(borough.wards().id());
        double lat = extent == null ? 0 : extent.lat(), lon = extent == null ? 0 : extent.lon();
        String boroughLink = MapView.at(lat, lon, BOROUGH_ZOOM).with("layers", "hotspots,wards,problems")
                .window(start, end).toString();

        Briefing.Headline headline = headline(filter, periods, lastYearFrom, lastYearTo, lat, lon);
        List<Briefing.WardRow> wards = wards(filter, lat, lon);

        HotCells now = hotspots.hotCells(filter, "gistar", CELL);
        HotCells before = hotspots.hotCells(filter.during(periods.previousFrom(), periods.previousTo()), "gistar", CELL);
        Map<Long, HotCells.Cell> previousCells = new HashMap<>();
        for (HotCells.Cell c : before.cells()) previousCells.put(key(c.i(), c.j()), c);
        List<HotCells.Cell> fresh = new ArrayList<>(), intensifying = new ArrayList<>();
        for (HotCells.Cell c : now.cells()) {
            HotCells.Cell earlier = previousCells.get(key(c.i(), c.j()));
            if (earlier == null) fresh.add(c);
            else if (c.incidents() > earlier.incidents()) intensifying.add(c);
        }
        Briefing.Hotspots hot = new Briefing.Hotspots("gistar", CELL, "hot now: " + now.rule() + "; new: not hot in the previous "
                + "window; intensifying: hot then too and more incidents now", cells(fresh, previousCells, start, end),
                cells(intensifying, previousCells, start, end), now.cells().size(), MapView.at(lat, lon, BOROUGH_ZOOM)
                .with("layers", "hotspots,wards,problems").with("method", "gistar").with("cell", (int) CELL).window(start, end).toString());

        Briefing.Problems problems = new Briefing.Problems(problems(repository.newProblems(start, end), filter, periods, caller, today),
                problems(repository.escalatedProblems(start, end), filter, periods, caller, today),
                problems(repository.agendaProblems(meetingId), filter, periods, caller, today));

        Set<Long> problemIds = new LinkedHashSet<>();
        for (List<Briefing.ProblemItem> list : List.of(problems.fresh(), problems.escalated(), problems.agenda())) {
            list.forEach(p -> problemIds.add(p.id()));
        }
        Set<Long> freshKeys = new java.util.HashSet<>(), intensifyingKeys = new java.util.HashSet<>();
        fresh.forEach(c -> freshKeys.add(key(c.i(), c.j())));
        intensifying.forEach(c -> intensifyingKeys.add(key(c.i(), c.j())));
        List<BriefingMap.Cell> drawn = now.cells().stream().map(c -> {
            long k = key(c.i(), c.j());
            String kind = freshKeys.contains(k) ? "new" : intensifyingKeys.contains(k) ? "intensifying" : "hot";
            String fill = kind.equals("new") ? BriefingMap.NEW : kind.equals("intensifying") ? BriefingMap.INTENSIFYING : BriefingMap.HOT;
            return new BriefingMap.Cell(c.i(), c.j(), CELL, fill, kind + " hot cell " + c.i() + "," + c.j() + ": " + c.incidents() + " incidents");
        }).toList();
        List<BriefingRepository.Shape> wardShapes = repository.wardShapes(borough.wards().id());
        List<BriefingRepository.Shape> problemShapes = repository.problemShapes(List.copyOf(problemIds));
        Briefing.MapImage map = new Briefing.MapImage(BriefingMap.svg(extent, wardShapes, drawn, problemShapes),
                wardShapes.size(), drawn.size(), problemShapes.size(), hot.link());

        Briefing.Actions actions = new Briefing.Actions(today,
                links(repository.actions(caller, BriefingRepository.dueBetween(start, end), today), start, end),
                links(repository.actions(caller, BriefingRepository.overdueOn(today), today), start, end),
                links(repository.actions(caller, BriefingRepository.completedBetween(start, end), today), start, end),
                repository.countsByOrganisation(caller, start, end, today));

        Briefing.PreviousMeeting previous = null;
        if (meeting.previousMeeting() != null) {
            long previousId = meeting.previousMeeting().id();
            List<Briefing.ActionItem> agreed = links(repository.actions(caller, BriefingRepository.agreedAt(previousId), today),
                    start, end);
            List<Briefing.DecisionFollowUp> decisions = repository.decisions(previousId).stream().map(d ->
                    new Briefing.DecisionFollowUp(d.id(), d.problemId(), d.problemTitle(), d.text(), d.problemId() == null ? List.of()
                            : agreed.stream().filter(a -> a.problemId() == d.problemId()).toList())).toList();
            String previousTitle = meetings.find(previousId, caller).map(Meeting::title).orElse("");
            previous = new Briefing.PreviousMeeting(previousId, meeting.previousMeeting().heldOn(), previousTitle, decisions, agreed);
        }

        return new Briefing(new Briefing.MeetingInfo(meeting.id(), meeting.heldOn(), meeting.title(), meeting.attendees(), boroughLink),
                window, headline, hot, map, wards, problems, actions, previous, Redaction.note(caller),
                OffsetDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS), indicators.section(end, caller),
                BriefingEvaluations.of(evaluations, start, end, caller));
    }

    /** Per neighbourhood (when the ward version has neighbourhoods) and in total: now, previous window, same window last year. */
    private Briefing.Headline headline(IncidentFilter filter, AreaPeriods periods, LocalDate lastYearFrom, LocalDate lastYearTo,
                                       double lat, double lon) {
        long days = periods.days(), previousDays = periods.previousDays();
        long lastYearDays = ChronoUnit.DAYS.between(lastYearFrom, lastYearTo) + 1;
        boolean hasNeighbourhoods = boundaries.neighbourhoodsOf(filter.area().wards()).isPresent();
        BoundaryLevel level = hasNeighbourhoods ? BoundaryLevel.NEIGHBOURHOOD : BoundaryLevel.WARD;
        AreaStatisticsService.Stats now = areas.stats(level, filter);
        Map<String, Long> lastYear = new HashMap<>();
        areas.stats(level, filter.during(lastYearFrom, lastYearTo)).rows().forEach(r -> lastYear.put(r.code(), r.count()));
        List<Briefing.Line> lines = new ArrayList<>();
        long count = 0, previous = 0, before = 0;
        for (AreaStatistics.Row r : now.rows()) {
            long ly = lastYear.getOrDefault(r.code(), 0L);
            count += r.count();
            previous += r.previous().count();
            before += ly;
            String link = MapView.at(lat, lon, BOROUGH_ZOOM).with("layers", "wards,hotspots")
                    .window(filter.from(), filter.to()).with(level == BoundaryLevel.WARD ? "ward" : "neighbourhood", r.code()).toString();
            lines.add(line(r.code(), r.name(), r.count(), days, r.previous().count(), previousDays, ly, lastYearDays, link));
        }
        lines.sort(java.util.Comparator.comparing(Briefing.Line::name).thenComparing(Briefing.Line::code));
        Briefing.Line total = line("borough", "Borough", count, days, previous, previousDays, before, lastYearDays,
                MapView.at(lat, lon, BOROUGH_ZOOM).with("layers", "wards,hotspots").window(filter.from(), filter.to()).toString());
        return new Briefing.Headline(PoissonChange.TEST_NAME, total, lines, hasNeighbourhoods ? null
                : "no neighbourhoods are defined on ward version " + filter.area().wards().version() + ": lines are wards");
    }

    private static Briefing.Line line(String code, String name, long count, long days, long previous, long previousDays,
                                      long lastYear, long lastYearDays, String link) {
        return new Briefing.Line(code, name, count, previous, lastYear, change(count, days, previous, previousDays),
                change(count, days, lastYear, lastYearDays), link);
    }

    static Briefing.Change change(long count, long days, long other, long otherDays) {
        PoissonChange test = PoissonChange.test(count, days, other, otherDays);
        Double percent = other == 0 ? null : Math.round((count - other) * 1000.0 / other) / 10.0;
        return new Briefing.Change(count - other, percent, test.pValue(), test.significant());
    }

    /** Every ward ranked by rate per 1,000; movement is the previous window's rank minus this one (positive: up the table). */
    private List<Briefing.WardRow> wards(IncidentFilter filter, double lat, double lon) {
        AreaStatisticsService.Stats stats = areas.stats(BoundaryLevel.WARD, filter);
        return stats.rows().stream().map(r -> new Briefing.WardRow(r.code(), r.name(), r.count(), r.rate(), r.rank(),
                r.previous().count(), r.previous().rank(), r.rank() == null || r.previous().rank() == null ? null
                : r.previous().rank() - r.rank(), new Briefing.Change(r.change().count(), r.change().percent(), r.change().pValue(),
                r.change().significant()), MapView.at(lat, lon, BOROUGH_ZOOM).with("layers", "wards,hotspots")
                .window(filter.from(), filter.to()).with("ward", r.code()).toString())).toList();
    }

    private List<Briefing.HotCell> cells(List<HotCells.Cell> cells, Map<Long, HotCells.Cell> previous, LocalDate from, LocalDate to) {
        List<HotCells.Cell> listed = cells.stream().limit(MAX_CELLS).toList();
        List<double[]> lonLat = repository.toWgs84(listed.stream().mapToDouble(HotCells.Cell::x).toArray(),
                listed.stream().mapToDouble(HotCells.Cell::y).toArray());
        List<Briefing.HotCell> out = new ArrayList<>();
        for (int k = 0; k < listed.size(); k++) {
            HotCells.Cell c = listed.get(k);
            HotCells.Cell earlier = previous.get(key(c.i(), c.j()));
            double[] p = lonLat.get(k);
            out.add(new Briefing.HotCell(c.i(), c.j(), c.incidents(), earlier == null ? 0 : earlier.incidents(), c.z(), p[0], p[1],
                    MapView.at(p[1], p[0], CELL_ZOOM).with("layers", "hotspots,wards,problems").with("method", "gistar")
                            .with("cell", (int) CELL).window(from, to).toString()));
        }
        return out;
    }

    private List<Briefing.ProblemItem> problems(List<BriefingRepository.ProblemRow> rows, IncidentFilter filter, AreaPeriods periods,
                                                User caller, LocalDate today) {
        List<Briefing.ProblemItem> out = new ArrayList<>();
        for (BriefingRepository.ProblemRow p : rows) {
            IncidentFilter mine = new IncidentFilter(filter.from(), filter.to(), p.categories(), List.of(), filter.area(), caller);
            long current = repository.count(mine, p.id());
            long previous = repository.count(mine.during(periods.previousFrom(), periods.previousTo()), p.id());
            Briefing.Trend trend = new Briefing.Trend(current, previous, change(current, periods.days(), previous, periods.previousDays()));
            String link = MapView.at(p.lat(), p.lon(), PROBLEM_ZOOM).with("layers", "problems,hotspots,wards")
                    .window(filter.from(), filter.to()).with("category", String.join(",", p.categories())).with("problem", p.id()).toString();
            out.add(new Briefing.ProblemItem(p.id(), p.title(), p.stage(), p.owner(), p.placeLabel(), p.categories(), p.startDate(),
                    p.escalation(), repository.progress(p.id(), caller, today).orElse(null), trend, link));
        }
        return out;
    }

    /** The actions with a link to their problem on the map. */
    private List<Briefing.ActionItem> links(List<Briefing.ActionItem> actions, LocalDate from, LocalDate to) {
        return actions.stream().map(a -> new Briefing.ActionItem(a.id(), a.problemId(), a.problemTitle(), a.title(), a.organisation(),
                a.due(), a.status(), a.overdue(), a.completedOn(), a.meetingId(),
                new MapView().with("layers", "problems,hotspots,wards").window(from, to).with("problem", a.problemId()).toString())).toList();
    }

    /** {@code Q2 26/27}, or the first and last quarter of a window that spans several ({@code Q1 26/27 to Q2 26/27}). */
    static String quarters(LocalDate from, LocalDate to) {
        FinancialQuarter first = FinancialQuarter.of(from), last = FinancialQuarter.of(to);
        return first.equals(last) ? first.label() : first.label() + " to " + last.label();
    }

    private static long key(int i, int j) {
        return ((long) i << 32) ^ (j & 0xffffffffL);
    }
}
