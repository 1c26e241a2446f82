package aim.incidents;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managed incident taxonomy (table {@code incident_category}) and the fly-tipping vocabularies
 * of the national WasteDataFlow return (size, waste type, land type). The database CHECK
 * constraints hold the same lists.
 */
public final class Taxonomy {
    public static final List<String> SOURCES = List.of("police", "council", "warden", "public");
    public static final List<String> STATUSES = List.of("open", "assigned", "cleared", "closed", "no-action");

    public static final Map<String, String> FLY_SIZES = ordered(
            "single-black-bag", "Single black bag", "single-item", "Single item", "car-boot", "Car boot or less",
            "small-van", "Small van load", "transit-van", "Transit van load", "tipper-lorry", "Tipper lorry load",
            "significant-multiple", "Significant/multiple loads");
    public static final Map<String, String> FLY_WASTE_TYPES = ordered(
            "household", "Household", "commercial", "Commercial", "construction", "Construction/demolition/excavation",
            "green", "Green", "white-goods", "White goods", "other-electrical", "Other electrical", "tyres", "Tyres",
            "vehicle-parts", "Vehicle parts", "animal-carcass", "Animal carcass", "clinical", "Clinical",
            "chemical-fuel-oil", "Chemical drums, oil, fuel", "asbestos", "Asbestos", "other", "Other");
    public static final Map<String, String> FLY_LAND_TYPES = ordered(
            "highway", "Highway", "footpath-bridleway", "Footpath/bridleway", "back-alley", "Back alleyway",
            "council-land", "Council land", "private-residential", "Private residential", "watercourse-bank", "Watercourse/bank",
            "agricultural", "Agricultural", "railway", "Railway", "commercial-industrial", "Commercial/industrial", "other", "Other");

    /** One category: {@code policeType} is the police.uk "Crime type" it stands for, if any. */
    public record Category(String code, String label, String group, boolean sensitive, String policeType) {
        public boolean isFlyTipping() {
            return "fly-tipping".equals(code);
        }
    }

    private final List<Category> categories;

    private Taxonomy(List<Category> categories) {
        this.categories = List.copyOf(categories);
    }

    /** Reads the taxonomy (it is small; admins extend it with rows in incident_category). */
    public static Taxonomy load(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT code, label, grp, sensitive, police_type FROM incident_category ORDER BY sort, code");
             ResultSet rs = ps.executeQuery()) {
            List<Category> list = new ArrayList<>();
            while (rs.next()) list.add(new Category(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)));
            return new Taxonomy(list);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the incident categories failed", e);
        }
    }

    public List<Category> categories() {
        return categories;
    }

    public Optional<Category> byCode(String code) {
        return categories.stream().filter(c -> c.code().equals(code)).findFirst();
    }

    /** The category for a police.uk "Crime type" such as "Anti-social behaviour". */
    public Optional<Category> byPoliceType(String crimeType) {
        return categories.stream().filter(c -> crimeType != null && crimeType.equalsIgnoreCase(c.policeType())).findFirst();
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
