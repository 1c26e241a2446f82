/**
 * The performance framework: indicators computed from incidents (counts and rates per 1,000 by category
 * group and source: police-reported, council/public-reported, warden) or imported from partners (survey
 * percentages with their sample sizes, counts, scores by area), targets per area, and the table of areas ×
 * months or financial-year quarters with each period's change, its significance and a RAG status.
 * Counts come through {@link aim.areas.AreaStatisticsRepository} (the rollups, with {@link aim.incidents.Redaction}).
 */
package aim.indicators;
