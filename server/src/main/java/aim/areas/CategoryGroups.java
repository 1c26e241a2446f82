package aim.areas;

import aim.incidents.Taxonomy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Top categories under their taxonomy groups: the council's "ASB: noise", "ASB: nuisance behaviour" …
 * (group asb) and police.uk's "Anti-social behaviour" are one entry "Anti-social behaviour" with those parts
 * inside; likewise the environmental and hate groups. Police crime types stay one entry each (their group,
 * police, is a source, not a topic), except "Anti-social behaviour", which joins the asb group. A group with
 * one part present is shown as that category.
 */
public final class CategoryGroups {
    static final Map<String, String> LABELS = Map.of(
            "asb", "Anti-social behaviour",
            "environmental", "Environmental",
            "fly-tipping", "Fly-tipping",
            "hate", "Hate incidents");

    private CategoryGroups() {
    }

    /**
     * One entry of the grouped list: a group ({@code group} its taxonomy group, {@code category} null) or a
     * single category ({@code group} null); {@code parts} are its categories, largest first.
     */
    public record Entry(String group, String category, String label, long count, List<AreaStatisticsService.TopCategory> parts) {
    }

    /** The group a category is counted under: its taxonomy group, or (police crime types) itself. */
    static String topicOf(Taxonomy.Category c) {
        if (c == null) return null;
        if ("police".equals(c.group())) return "Anti-social behaviour".equalsIgnoreCase(c.policeType()) ? "asb" : null;
        return LABELS.containsKey(c.group()) ? c.group() : null;
    }

    /** The largest {@code limit} entries of the counts per category, each group with its parts. */
    static List<Entry> top(Map<String, Long> perCategory, Taxonomy taxonomy, int limit) {
        Map<String, List<AreaStatisticsService.TopCategory>> byTopic = new LinkedHashMap<>();
        perCategory.forEach((code, n) -> {
            var category = taxonomy.byCode(code);
            String topic = topicOf(category.orElse(null));
            var part = new AreaStatisticsService.TopCategory(code, category.map(Taxonomy.Category::label).orElse(code), n);
            byTopic.computeIfAbsent(topic == null ? "category:" + code : topic, k -> new ArrayList<>()).add(part);
        });
        Comparator<AreaStatisticsService.TopCategory> largest = Comparator.comparingLong(AreaStatisticsService.TopCategory::count)
                .reversed().thenComparing(AreaStatisticsService.TopCategory::category);
        List<Entry> entries = new ArrayList<>();
        byTopic.forEach((topic, parts) -> {
            parts.sort(largest);
            long total = parts.stream().mapToLong(AreaStatisticsService.TopCategory::count).sum();
            if (parts.size() == 1) {
                var only = parts.get(0);
                entries.add(new Entry(null, only.category(), only.label(), total, List.copyOf(parts)));
            } else {
                entries.add(new Entry(topic, null, LABELS.get(topic), total, List.copyOf(parts)));
            }
        });
        entries.sort(Comparator.comparingLong(Entry::count).reversed()
                .thenComparing(e -> e.group() != null ? e.group() : e.category()));
        return entries.size() > limit ? List.copyOf(entries.subList(0, limit)) : entries;
    }
}
