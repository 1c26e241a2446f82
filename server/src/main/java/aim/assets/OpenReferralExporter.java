package aim.assets;

import aim.db.SqlFragment;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes the services (never places or people) as an Open Referral UK JSON array, streamed from a cursor,
 * following the conventions in {@link OpenReferral}. Locations are WGS84 latitude/longitude with 7
 * decimals (about 1 cm), so an export imported elsewhere and exported again gives the same numbers.
 */
public final class OpenReferralExporter {
    private static final int FETCH_SIZE = 200;
    private static final String SELECT = """
            SELECT a.uid, a.name, a.description, a.url, a.email, a.phone, a.status, a.fees, a.referral, a.attending_type,
                   a.attending_access, a.deliverable_type, a.last_checked, a.venue, a.address::text AS address,
                   round(ST_Y(ST_Transform(a.geom, 4326))::numeric, 7) AS latitude,
                   round(ST_X(ST_Transform(a.geom, 4326))::numeric, 7) AS longitude,
                   a.contacts::text AS contacts, a.schedules::text AS schedules, a.eligibility::text AS eligibility,
                   a.cost_options::text AS cost_options, a.languages, a.service_area_wards, a.service_area_name,
                   ST_AsGeoJSON(ST_Transform(a.service_area_geom, 4326), 7) AS service_area,
                   (SELECT array_agg(coalesce(b.name, u.code) ORDER BY u.ord)
                    FROM unnest(a.service_area_wards) WITH ORDINALITY AS u(code, ord)
                    LEFT JOIN boundary b ON b.set_id = ? AND b.code = u.code) AS ward_names,
                   o.uid AS org_uid, o.name AS org_name, o.description AS org_description, o.email AS org_email,
                   o.url AS org_url, o.logo AS org_logo, o.uri AS org_uri,
                   a.category, c.label AS category_label, c.parent AS category_parent
            FROM asset a
            JOIN asset_category c ON c.code = a.category
            LEFT JOIN organisation o ON o.id = a.organisation_id
            WHERE a.kind = 'service' AND a.retired_at IS NULL
            """;

    private final DataSource dataSource;
    private final ObjectMapper json = aim.core.Json.mapper();

    public OpenReferralExporter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes every current service (of {@code categories} and below, when given); returns how many. */
    public int write(List<String> categories, Long wardSetId, JsonGenerator out) throws IOException {
        SqlFragment filter = AssetCategories.within("a.category", categories);
        String sql = SELECT + (filter.sql().isEmpty() ? "" : " AND " + filter.sql()) + " ORDER BY a.id";
        int n = 0;
        out.writeStartArray();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setObject(1, wardSetId);
                for (int i = 0; i < filter.params().size(); i++) ps.setObject(i + 2, filter.params().get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        json.writeTree(out, service(rs));
                        n++;
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("exporting services failed", e);
        }
        out.writeEndArray();
        return n;
    }

    private ObjectNode service(ResultSet rs) throws SQLException, IOException {
        UUID uid = rs.getObject("uid", UUID.class);
        ObjectNode s = json.createObjectNode();
        s.put("id", uid.toString());
        s.put("name", rs.getString("name"));
        for (String f : List.of("description", "url", "email", "status", "fees", "attending_type", "attending_access", "deliverable_type")) {
            s.put(f, rs.getString(f));
        }
        s.put("assured_date", rs.getDate("last_checked").toLocalDate().toString());
        s.put("application_process", rs.getString("referral"));

        if (rs.getString("org_uid") == null) {
            s.putNull("organization");
        } else {
            ObjectNode o = s.putObject("organization");
            o.put("id", rs.getString("org_uid"));
            for (String f : List.of("name", "description", "email", "url", "logo", "uri")) o.put(f, rs.getString("org_" + f));
        }

        ArrayNode phones = s.putArray("phones");
        if (rs.getString("phone") != null) phones.addObject().put("id", OpenReferral.nestedId(uid, "phone", 0)).put("number", rs.getString("phone"));

        ArrayNode locations = s.putArray("service_at_locations");
        String address = rs.getString("address");
        if (rs.getBigDecimal("latitude") != null || address != null || rs.getString("venue") != null) {
            ObjectNode sal = locations.addObject();
            sal.put("id", OpenReferral.nestedId(uid, "service_at_location", 0));
            ObjectNode location = sal.putObject("location");
            location.put("id", OpenReferral.nestedId(uid, "location", 0));
            location.put("name", rs.getString("venue"));
            location.put("latitude", rs.getBigDecimal("latitude"));
            location.put("longitude", rs.getBigDecimal("longitude"));
            ArrayNode addresses = location.putArray("physical_addresses");
            if (address != null) {
                AssetInput.Address a = json.readValue(address, AssetInput.Address.class);
                ObjectNode pa = addresses.addObject();
                pa.put("id", OpenReferral.nestedId(uid, "physical_address", 0));
                pa.put("address_1", a.address1());
                pa.put("city", a.city());
                pa.put("state_province", a.stateProvince());
                pa.put("postal_code", a.postalCode());
                pa.put("country", a.country());
            }
        }

        ArrayNode contacts = s.putArray("contacts");
        List<AssetInput.Contact> cs = json.readValue(rs.getString("contacts"), new TypeReference<>() { });
        for (int i = 0; i < cs.size(); i++) {
            AssetInput.Contact c = cs.get(i);
            ObjectNode o = contacts.addObject();
            o.put("id", OpenReferral.nestedId(uid, "contact", i));
            o.put("name", c.name());
            o.put("title", c.title());
            o.put("email", c.email());
            ArrayNode ps = o.putArray("phones");
            List<String> numbers = c.phones() == null ? List.of() : c.phones();
            for (int j = 0; j < numbers.size(); j++) {
                ps.addObject().put("id", OpenReferral.nestedId(uid, "contact/" + i + "/phone", j)).put("number", numbers.get(j));
            }
        }

        ArrayNode schedules = s.putArray("regular_schedules");
        List<AssetInput.Schedule> ss = json.readValue(rs.getString("schedules"), new TypeReference<>() { });
        for (int i = 0; i < ss.size(); i++) {
            AssetInput.Schedule x = ss.get(i);
            ObjectNode o = schedules.addObject();
            o.put("id", OpenReferral.nestedId(uid, "regular_schedule", i));
            o.put("description", x.description());
            o.put("byday", x.byday());
            o.put("opens_at", x.opensAt());
            o.put("closes_at", x.closesAt());
            o.put("freq", x.freq());
            o.put("interval", x.interval());
            o.put("bymonthday", x.bymonthday());
            o.put("valid_from", x.validFrom() == null ? null : x.validFrom().toString());
            o.put("valid_to", x.validTo() == null ? null : x.validTo().toString());
            o.put("dtstart", x.dtstart() == null ? null : x.dtstart().toString());
        }

        ArrayNode eligibilitys = s.putArray("eligibilitys");
        List<AssetInput.Eligibility> es = json.readValue(rs.getString("eligibility"), new TypeReference<>() { });
        for (int i = 0; i < es.size(); i++) {
            AssetInput.Eligibility e = es.get(i);
            eligibilitys.addObject().put("id", OpenReferral.nestedId(uid, "eligibility", i)).put("eligibility", e.eligibility())
                    .put("minimum_age", e.minimumAge()).put("maximum_age", e.maximumAge());
        }

        ArrayNode costs = s.putArray("cost_options");
        List<AssetInput.CostOption> co = json.readValue(rs.getString("cost_options"), new TypeReference<>() { });
        for (int i = 0; i < co.size(); i++) {
            AssetInput.CostOption c = co.get(i);
            costs.addObject().put("id", OpenReferral.nestedId(uid, "cost_option", i)).put("option", c.option())
                    .put("amount", c.amount()).put("amount_description", c.amountDescription())
                    .put("valid_from", c.validFrom() == null ? null : c.validFrom().toString())
                    .put("valid_to", c.validTo() == null ? null : c.validTo().toString());
        }

        ArrayNode languages = s.putArray("languages");
        List<String> ls = strings(rs.getArray("languages"));
        for (int i = 0; i < ls.size(); i++) languages.addObject().put("id", OpenReferral.nestedId(uid, "language", i)).put("language", ls.get(i));

        ArrayNode areas = s.putArray("service_areas");
        List<String> wards = strings(rs.getArray("service_area_wards"));
        List<String> wardNames = strings(rs.getArray("ward_names"));
        for (int i = 0; i < wards.size(); i++) {
            areas.addObject().put("id", OpenReferral.nestedId(uid, "service_area", i))
                    .put("service_area", i < wardNames.size() ? wardNames.get(i) : wards.get(i))
                    .put("uri", OpenReferral.wardUri(wards.get(i)));
        }
        String polygon = rs.getString("service_area");
        String areaName = rs.getString("service_area_name");
        if (polygon != null || areaName != null) {
            ObjectNode o = areas.addObject().put("id", OpenReferral.nestedId(uid, "service_area", wards.size())).put("service_area", areaName);
            if (polygon != null) o.put("extent", polygon);
        }

        ArrayNode taxonomies = s.putArray("service_taxonomys");
        ObjectNode t = taxonomies.addObject().put("id", OpenReferral.nestedId(uid, "service_taxonomy", 0)).putObject("taxonomy");
        t.put("id", rs.getString("category"));
        t.put("name", rs.getString("category_label"));
        t.put("vocabulary", OpenReferral.VOCABULARY);
        t.put("parent", rs.getString("category_parent"));
        return s;
    }

    private static List<String> strings(Array array) throws SQLException {
        List<String> out = new ArrayList<>();
        if (array != null) for (Object v : (Object[]) array.getArray()) out.add((String) v);
        return out;
    }
}
