package aim.areas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Incident rates per 1,000 residents for a list of areas, ranked, with the change from the
 * previous equivalent period and whether it is significant ({@link PoissonChange}).
 *
 * <p>Rates: count × 1000 / population, rounded to 2 decimals for display. An area whose population
 * is missing or 0 has no rate ({@code rate} null, {@code rateNote} "no population"), is unranked and
 * is listed last; no rate is ever infinite or NaN. Ranks: 1 is the highest rate; equal rates share a
 * rank and the next rank skips (1, 2, 2, 4); ranks are compared on exact rates (count·population
 * cross-products), not the rounded ones.
 */
public final class AreaStatistics {
    public static final int RATE_PER = 1000;
    public static final String NO_POPULATION = "no population";

    private AreaStatistics() {
    }

    /** The input for one area: its counts in both periods and its population (null or 0: unknown). */
    public record Input(String code, String name, long count, long previousCount, Integer population, Integer populationYear) {
    }

    /** The figures of one period. {@code rate} and {@code rank} are null when there is no population. */
    public record Figures(long count, Double rate, Integer rank) {
    }

    /**
     * @param percent change in count as a percentage of the previous count; null when that was 0
     * @param rate    change in rate per 1,000; null without a population
     */
    public record Change(long count, Double percent, Double rate, double pValue, boolean significant) {
    }

    public record Row(String code, String name, long count, Integer population, Integer populationYear, Double rate,
                      String rateNote, Integer rank, Figures previous, Change change) {
    }

    /**
     * Rates, ranks and changes of every input, ordered by rank (unranked last), then code.
     * {@code days} and {@code previousDays} are the period lengths, the exposures of the change test.
     */
    public static List<Row> compute(List<Input> inputs, long days, long previousDays) {
        Map<String, Integer> ranks = ranks(inputs, Input::count);
        Map<String, Integer> previousRanks = ranks(inputs, Input::previousCount);
        List<Row> rows = new ArrayList<>();
        for (Input in : inputs) {
            boolean hasPopulation = hasPopulation(in.population());
            Double rate = hasPopulation ? rate(in.count(), in.population()) : null;
            Double previousRate = hasPopulation ? rate(in.previousCount(), in.population()) : null;
            PoissonChange test = PoissonChange.test(in.count(), days, in.previousCount(), previousDays);
            Double percent = in.previousCount() == 0 ? null
                    : round((in.count() - in.previousCount()) * 100.0 / in.previousCount(), 1);
            Double rateChange = hasPopulation ? round((in.count() - in.previousCount()) * (double) RATE_PER / in.population(), 2) : null;
            rows.add(new Row(in.code(), in.name(), in.count(), in.population(), in.populationYear(), rate,
                    hasPopulation ? null : NO_POPULATION, ranks.get(in.code()),
                    new Figures(in.previousCount(), previousRate, previousRanks.get(in.code())),
                    new Change(in.count() - in.previousCount(), percent, rateChange, test.pValue(), test.significant())));
        }
        rows.sort(Comparator.comparing((Row r) -> r.rank() == null ? Integer.MAX_VALUE : r.rank()).thenComparing(Row::code));
        return rows;
    }

    /** count × 1000 / population, 2 decimals; population must be positive. */
    static double rate(long count, int population) {
        return round(count * (double) RATE_PER / population, 2);
    }

    static boolean hasPopulation(Integer population) {
        return population != null && population > 0;
    }

    /**
     * Competition ranks (1 = highest rate, ties share, the next skips) of the inputs with a population,
     * by code. Exact: rate a > rate b ⇔ count_a · pop_b > count_b · pop_a.
     */
    static Map<String, Integer> ranks(List<Input> inputs, java.util.function.ToLongFunction<Input> count) {
        List<Input> ranked = inputs.stream().filter(i -> hasPopulation(i.population())).toList();
        Comparator<Input> byRateDescending = (a, b) -> Long.compare(
                count.applyAsLong(b) * (long) a.population(), count.applyAsLong(a) * (long) b.population());
        List<Input> sorted = new ArrayList<>(ranked);
        sorted.sort(byRateDescending);
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            boolean tie = i > 0 && byRateDescending.compare(sorted.get(i - 1), sorted.get(i)) == 0;
            out.put(sorted.get(i).code(), tie ? out.get(sorted.get(i - 1).code()) : i + 1);
        }
        return out;
    }

    static double round(double value, int decimals) {
        return java.math.BigDecimal.valueOf(value).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
