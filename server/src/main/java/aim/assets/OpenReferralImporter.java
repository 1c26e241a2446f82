package aim.assets;

import aim.core.DomainException;
import aim.core.Issue;
import aim.accounts.User;
import aim.boundaries.BoundarySet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Imports Open Referral UK JSON: an array of services (or an ORUK page, an object whose {@code content} is
 * that array), following the conventions in {@link OpenReferral}. Every service is checked first; the
 * first problem is a failure naming the field by its path in the file (e.g. {@code [2].eligibilitys[0].minimum_age})
 * and nothing is stored. Otherwise all services are stored in one transaction, each matched by its id to
 * an existing asset (updated) or new. Members AIM does not keep are listed in the report's {@code ignored}.
 */
public final class OpenReferralImporter {
    private static final GeometryFactory WGS84 = new GeometryFactory(new PrecisionModel(), GeoJsonGeometry.WGS84);
    private static final Map<String, String> WEEKDAYS = Map.of("monday", "MO", "tuesday", "TU", "wednesday", "WE",
            "thursday", "TH", "friday", "FR", "saturday", "SA", "sunday", "SU");
    private static final Set<String> SERVICE_MEMBERS = Set.of("id", "name", "description", "url", "email", "status", "fees",
            "attending_type", "attending_access", "deliverable_type", "assured_date", "application_process", "organization",
            "phones", "service_at_locations", "locations", "contacts", "regular_schedules", "eligibilitys", "cost_options",
            "languages", "service_areas", "service_taxonomys");

    private final DataSource dataSource;
    private final AssetWriter writer;
    private final AssetCategories categories;
    private final ObjectMapper json = aim.core.Json.mapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public OpenReferralImporter(DataSource dataSource, AssetWriter writer, AssetCategories categories) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.categories = categories;
    }

    public AssetImportReport importJson(InputStream in, String defaultCategory, String source, User user) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(in);
        } catch (JsonProcessingException e) {
            throw aim.core.Json.invalid(e);
        }
        JsonNode services = root != null && root.isObject() && root.path("content").isArray() ? root.path("content") : root;
        if (services == null || !services.isArray()) {
            throw DomainException.invalid("body", "expected a JSON array of Open Referral UK services (or a page object whose 'content' is one)");
        }
        if (defaultCategory != null) categories.require(defaultCategory, "category");
        Set<String> codes = new HashSet<>();
        for (AssetCategories.Category c : categories.all()) codes.add(c.code());
        BoundarySet wards = writer.wardSet();
        Set<String> wardCodes = wardCodes(wards);

        Set<String> ignored = new TreeSet<>();
        List<Issue> warnings = new ArrayList<>();
        List<AssetDraft> drafts = new ArrayList<>();
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < services.size(); i++) {
            String at = "[" + i + "]";
            AssetDraft draft = service(services.get(i), at, defaultCategory, codes, wardCodes, wards, source, ignored, warnings);
            Integer before = seen.put(draft.uid(), i);
            if (before != null) throw DomainException.invalid(at + ".id", at + ".id repeats the id of service [" + before + "]");
            drafts.add(draft);
        }
        AssetWriter.Lookups lookups = writer.lookups();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<UUID, AssetKind> existing = existing(c, seen.keySet());
                int inserted = 0, updated = 0;
                for (int i = 0; i < drafts.size(); i++) {
                    AssetDraft d = drafts.get(i);
                    if (existing.get(d.uid()) == AssetKind.PEOPLE && user != null && !AssetKind.peopleVisibleTo(user.role())) {
                        throw DomainException.conflict("[" + i + "].id", "[" + i + "].id is the id of a people asset, which only admins may change");
                    }
                    String at = "[" + i + "].";
                    writer.save(c, lookups, d, user, true, member -> at + memberName(member));
                    if (existing.containsKey(d.uid())) updated++;
                    else inserted++;
                }
                c.commit();
                return new AssetImportReport("openreferral", source, services.size(), inserted + updated, inserted, updated, 0,
                        List.copyOf(ignored), warnings);
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Open Referral import failed in the database", e);
        }
    }

    /** The shared checks name AIM members; this is the Open Referral member each came from. */
    private static String memberName(String member) {
        return member.equals("geometry") ? "service_at_locations[0].location"
                : member.equals("category") ? "service_taxonomys" : member;
    }

    /** Stops the import at a problem found by a shared check. */
    private static void fail(Optional<Issue> issue) {
        issue.ifPresent(i -> {
            throw DomainException.invalid(i.field(), i.message());
        });
    }

    private AssetDraft service(JsonNode s, String at, String defaultCategory, Set<String> codes, Set<String> wardCodes,
                               BoundarySet wards, String source, Set<String> ignored, List<Issue> warnings) {
        if (s == null || !s.isObject()) throw DomainException.invalid(at, at + " must be a service object");
        noteIgnored(s, SERVICE_MEMBERS, "service", ignored);
        String id = text(s, "id", at);
        if (id == null) throw DomainException.invalid(at + ".id", at + ".id is required");
        UUID uid = OpenReferral.serviceUid(id);
        String name = text(s, "name", at);
        if (name == null) throw DomainException.invalid(at + ".name", at + ".name is required");

        String status = text(s, "status", at);
        if (status != null && !AssetDraft.STATUSES.contains(status)) {
            throw DomainException.invalid(at + ".status", at + ".status must be active, inactive, defunct or temporarily closed, not '" + status + "'");
        }
        fail(AssetDraft.email(text(s, "email", at), at + ".email"));
        fail(AssetDraft.url(text(s, "url", at), at + ".url"));
        LocalDate assured = date(s, "assured_date", at);

        AssetInput.Organisation organisation = null;
        JsonNode o = s.get("organization");
        if (o != null && !o.isNull()) {
            if (!o.isObject()) throw DomainException.invalid(at + ".organization", at + ".organization must be an object");
            String p = at + ".organization";
            noteIgnored(o, Set.of("id", "name", "description", "email", "url", "logo", "uri"), "organization", ignored);
            String orgId = text(o, "id", p), orgName = text(o, "name", p);
            if (orgName == null) throw DomainException.invalid(p + ".name", p + ".name is required");
            fail(AssetDraft.email(text(o, "email", p), p + ".email"));
            organisation = new AssetInput.Organisation(orgId == null ? null : OpenReferral.serviceUid(orgId), orgName,
                    text(o, "description", p), text(o, "email", p), text(o, "url", p), text(o, "logo", p), text(o, "uri", p));
        }

        String phone = null;
        List<JsonNode> phones = array(s, "phones", at);
        if (!phones.isEmpty()) {
            phone = text(phones.get(0), "number", at + ".phones[0]");
            if (phones.size() > 1) warnings.add(new Issue("warning", null, null, at + ".phones", "phones", "only the first phone number of the service is kept", null));
        }

        // the location: service_at_locations[0].location (or locations[0])
        Geometry point = null;
        String venue = null;
        AssetInput.Address address = null;
        JsonNode location = null;
        String locationAt = null;
        List<JsonNode> sals = array(s, "service_at_locations", at);
        if (!sals.isEmpty()) {
            JsonNode sal = sals.get(0);
            if (!sal.isObject()) throw DomainException.invalid(at + ".service_at_locations[0]", at + ".service_at_locations[0] must be an object");
            noteIgnored(sal, Set.of("id", "location"), "service_at_location", ignored);
            location = sal.get("location");
            locationAt = at + ".service_at_locations[0].location";
            if (sals.size() > 1) warnings.add(new Issue("warning", null, null, at + ".service_at_locations", "service_at_locations",
                    "AIM keeps one location per service: only the first of " + sals.size() + " was kept", null));
        } else {
            List<JsonNode> locations = array(s, "locations", at);
            if (!locations.isEmpty()) {
                location = locations.get(0);
                locationAt = at + ".locations[0]";
            }
        }
        if (location != null && !location.isNull()) {
            if (!location.isObject()) throw DomainException.invalid(locationAt, locationAt + " must be an object");
            noteIgnored(location, Set.of("id", "name", "latitude", "longitude", "physical_addresses"), "location", ignored);
            venue = text(location, "name", locationAt);
            BigDecimal lat = number(location, "latitude", locationAt), lon = number(location, "longitude", locationAt);
            if ((lat == null) != (lon == null)) {
                throw DomainException.invalid(locationAt + (lat == null ? ".latitude" : ".longitude"), locationAt + " needs both latitude and longitude");
            }
            if (lat != null) {
                if (lat.abs().doubleValue() > 90 || lon.abs().doubleValue() > 180) {
                    throw DomainException.invalid(locationAt + ".latitude", locationAt + " latitude/longitude " + lat + ", " + lon + " are not WGS84 degrees");
                }
                point = WGS84.createPoint(new Coordinate(lon.doubleValue(), lat.doubleValue()));
                point.setSRID(GeoJsonGeometry.WGS84);
            }
            List<JsonNode> addresses = array(location, "physical_addresses", locationAt);
            if (!addresses.isEmpty()) {
                JsonNode a = addresses.get(0);
                String p = locationAt + ".physical_addresses[0]";
                if (!a.isObject()) throw DomainException.invalid(p, p + " must be an object");
                noteIgnored(a, Set.of("id", "address_1", "city", "state_province", "postal_code", "country"), "physical_address", ignored);
                address = new AssetInput.Address(text(a, "address_1", p), text(a, "city", p), text(a, "state_province", p),
                        text(a, "postal_code", p), text(a, "country", p));
            }
        }

        List<AssetInput.Contact> contacts = new ArrayList<>();
        List<JsonNode> cs = array(s, "contacts", at);
        for (int i = 0; i < cs.size(); i++) {
            String p = at + ".contacts[" + i + "]";
            JsonNode c = object(cs.get(i), p);
            noteIgnored(c, Set.of("id", "name", "title", "email", "phones"), "contact", ignored);
            List<String> numbers = new ArrayList<>();
            List<JsonNode> ps = array(c, "phones", p);
            for (int j = 0; j < ps.size(); j++) {
                String number = text(object(ps.get(j), p + ".phones[" + j + "]"), "number", p + ".phones[" + j + "]");
                if (number != null) numbers.add(number);
            }
            fail(AssetDraft.email(text(c, "email", p), p + ".email"));
            contacts.add(new AssetInput.Contact(text(c, "name", p), text(c, "title", p), text(c, "email", p),
                    numbers.isEmpty() ? null : numbers));
        }

        List<AssetInput.Schedule> schedules = new ArrayList<>();
        List<JsonNode> rss = array(s, "regular_schedules", at);
        for (int i = 0; i < rss.size(); i++) {
            String p = at + ".regular_schedules[" + i + "]";
            JsonNode r = object(rss.get(i), p);
            noteIgnored(r, Set.of("id", "description", "byday", "weekday", "opens_at", "closes_at", "freq", "interval",
                    "bymonthday", "valid_from", "valid_to", "dtstart"), "regular_schedule", ignored);
            String byday = text(r, "byday", p);
            String weekday = text(r, "weekday", p);
            if (byday == null && weekday != null) {
                byday = WEEKDAYS.get(weekday.trim().toLowerCase(Locale.ROOT));
                if (byday == null) throw DomainException.invalid(p + ".weekday", p + ".weekday '" + weekday + "' is not a day of the week");
            }
            String opens = text(r, "opens_at", p), closes = text(r, "closes_at", p), freq = text(r, "freq", p);
            fail(AssetDraft.time(opens, p + ".opens_at"));
            fail(AssetDraft.time(closes, p + ".closes_at"));
            fail(AssetDraft.byday(byday, p + ".byday"));
            if (freq != null) freq = freq.toUpperCase(Locale.ROOT);
            fail(AssetDraft.freq(freq, p + ".freq"));
            BigDecimal interval = number(r, "interval", p);
            if (interval != null && (interval.signum() <= 0 || interval.stripTrailingZeros().scale() > 0)) {
                throw DomainException.invalid(p + ".interval", p + ".interval must be a whole number of 1 or more");
            }
            LocalDate from = date(r, "valid_from", p), to = date(r, "valid_to", p);
            fail(AssetDraft.dates(from, to, p + ".valid_to"));
            JsonNode bymonthday = r.get("bymonthday");
            String monthday = bymonthday == null || bymonthday.isNull() ? null : bymonthday.asText();
            schedules.add(new AssetInput.Schedule(text(r, "description", p), byday, opens, closes, freq,
                    interval == null ? null : interval.intValue(), monthday, from, to, date(r, "dtstart", p)));
        }

        List<AssetInput.Eligibility> eligibility = new ArrayList<>();
        List<JsonNode> els = array(s, "eligibilitys", at);
        for (int i = 0; i < els.size(); i++) {
            String p = at + ".eligibilitys[" + i + "]";
            JsonNode e = object(els.get(i), p);
            noteIgnored(e, Set.of("id", "eligibility", "minimum_age", "maximum_age"), "eligibility", ignored);
            Integer min = age(e, "minimum_age", p), max = age(e, "maximum_age", p);
            fail(AssetDraft.ages(min, max, p));
            eligibility.add(new AssetInput.Eligibility(text(e, "eligibility", p), min, max));
        }

        List<AssetInput.CostOption> costs = new ArrayList<>();
        List<JsonNode> cos = array(s, "cost_options", at);
        for (int i = 0; i < cos.size(); i++) {
            String p = at + ".cost_options[" + i + "]";
            JsonNode c = object(cos.get(i), p);
            noteIgnored(c, Set.of("id", "option", "amount", "amount_description", "valid_from", "valid_to"), "cost_option", ignored);
            BigDecimal amount = number(c, "amount", p);
            fail(AssetDraft.amount(amount, p + ".amount"));
            LocalDate from = date(c, "valid_from", p), to = date(c, "valid_to", p);
            fail(AssetDraft.dates(from, to, p + ".valid_to"));
            costs.add(new AssetInput.CostOption(text(c, "option", p), amount, text(c, "amount_description", p), from, to));
        }

        List<String> languages = new ArrayList<>();
        List<JsonNode> lns = array(s, "languages", at);
        for (int i = 0; i < lns.size(); i++) {
            String p = at + ".languages[" + i + "]";
            JsonNode l = lns.get(i);
            String language = l.isTextual() ? l.asText() : text(object(l, p), "language", p);
            if (language == null || language.isBlank()) throw DomainException.invalid(p + ".language", p + ".language is required");
            languages.add(language.trim());
        }

        List<String> areaWards = new ArrayList<>();
        Geometry area = null;
        String areaName = null;
        List<JsonNode> sas = array(s, "service_areas", at);
        for (int i = 0; i < sas.size(); i++) {
            String p = at + ".service_areas[" + i + "]";
            JsonNode a = object(sas.get(i), p);
            noteIgnored(a, Set.of("id", "service_area", "extent", "uri"), "service_area", ignored);
            String uri = text(a, "uri", p);
            String code = OpenReferral.wardCode(uri);
            JsonNode extent = a.get("extent");
            if (code != null) {
                if (!wardCodes.contains(code)) {
                    throw DomainException.invalid(p + ".uri", p + ".uri names ward '" + code + "', which is not in the current ward version " + wards.version());
                }
                if (!areaWards.contains(code)) areaWards.add(code);
            } else if (extent != null && !extent.isNull()) {
                List<Issue> malformed = new ArrayList<>();
                Geometry g = GeoJsonGeometry.read(extent, p + ".extent", Set.of("Polygon", "MultiPolygon"), malformed);
                fail(malformed.stream().findFirst());
                area = area == null ? g : area.union(g);
                if (areaName == null) areaName = text(a, "service_area", p);
            } else {
                String n = text(a, "service_area", p);
                if (n != null) areaName = areaName == null ? n : areaName + "; " + n;
                if (uri != null) ignored.add("service_area.uri (not a ward)");
            }
        }
        if (area != null) area.setSRID(GeoJsonGeometry.WGS84);

        String category = null;
        List<JsonNode> txs = array(s, "service_taxonomys", at);
        for (int i = 0; i < txs.size() && category == null; i++) {
            String p = at + ".service_taxonomys[" + i + "]";
            JsonNode t = object(txs.get(i), p).path("taxonomy");
            if (!t.isObject()) continue;
            String code = text(t, "id", p + ".taxonomy");
            String vocabulary = text(t, "vocabulary", p + ".taxonomy");
            if (OpenReferral.VOCABULARY.equals(vocabulary)) {
                if (code == null || !codes.contains(code)) {
                    throw DomainException.invalid(p + ".taxonomy.id", "unknown category '" + code + "': see GET /api/assets/categories");
                }
                category = code;
            } else if (code != null && codes.contains(code)) {
                category = code;
            }
        }
        if (txs.size() > (category == null ? 0 : 1)) ignored.add("service_taxonomys (other vocabularies)");
        if (category == null) category = defaultCategory;
        if (category == null) {
            throw DomainException.invalid(at + ".service_taxonomys", at + " has no AIM asset category in service_taxonomys"
                    + " (vocabulary '" + OpenReferral.VOCABULARY + "'): add one, or give the import a category");
        }

        AssetInput input = new AssetInput("service", category, name, text(s, "description", at), null, assured, organisation,
                address, venue, text(s, "url", at), text(s, "email", at), phone, status, text(s, "fees", at),
                text(s, "application_process", at), text(s, "attending_type", at), text(s, "attending_access", at),
                text(s, "deliverable_type", at), contacts, schedules, eligibility, costs, languages,
                areaWards.isEmpty() && area == null && areaName == null ? null : new AssetInput.ServiceArea(areaWards, areaName, null));
        String prefix = at + ".";
        return AssetDraft.withGeometry(input, uid, point, area, source, false, prefix, writer.today())
                .orElseThrow(field -> field.startsWith(prefix) ? prefix + memberName(field.substring(prefix.length())) : field);
    }

    private static void noteIgnored(JsonNode node, Set<String> known, String type, Set<String> ignored) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            boolean empty = f.getValue().isNull() || (f.getValue().isContainerNode() && f.getValue().isEmpty());
            if (!known.contains(f.getKey()) && !empty) ignored.add(type + "." + f.getKey());
        }
    }

    private static JsonNode object(JsonNode node, String at) {
        if (node == null || !node.isObject()) throw DomainException.invalid(at, at + " must be an object");
        return node;
    }

    private static List<JsonNode> array(JsonNode parent, String member, String at) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw DomainException.invalid(at + "." + member, at + "." + member + " must be an array");
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    private static String text(JsonNode parent, String member, String at) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw DomainException.invalid(at + "." + member, at + "." + member + " must be a string, not " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        String s = v.asText();
        if (s.length() > AssetDraft.MAX_TEXT) throw DomainException.invalid(at + "." + member, at + "." + member + " is too long");
        return s.isBlank() ? null : s;
    }

    private static BigDecimal number(JsonNode parent, String member, String at) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) return null;
        if (v.isNumber()) return v.decimalValue();
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw DomainException.invalid(at + "." + member, at + "." + member + " must be a number, not " + v);
    }

    private static Integer age(JsonNode parent, String member, String at) {
        BigDecimal n = number(parent, member, at);
        if (n == null) return null;
        if (n.stripTrailingZeros().scale() > 0) throw DomainException.invalid(at + "." + member, at + "." + member + " must be a whole number of years");
        return n.intValue();
    }

    private static LocalDate date(JsonNode parent, String member, String at) {
        String v = text(parent, member, at);
        if (v == null) return null;
        try {
            return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(at + "." + member, at + "." + member + " must be a date like 2024-04-01, not '" + v + "'");
        }
    }

    private Set<String> wardCodes(BoundarySet wards) {
        Set<String> out = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT code FROM boundary WHERE set_id = ?")) {
            ps.setLong(1, wards.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the wards failed", e);
        }
        return out;
    }

    private static Map<UUID, AssetKind> existing(Connection c, Set<UUID> uids) throws SQLException {
        Map<UUID, AssetKind> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT uid, kind FROM asset WHERE uid = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", uids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getObject(1, UUID.class), AssetKind.parse(rs.getString(2), "kind"));
            }
        }
        return out;
    }
}
