package aim.reports;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static aim.reports.ReportApiTest.assertProblem;
import static aim.reports.ReportFixture.create;
import static aim.reports.ReportFixture.flyTipping;
import static aim.reports.ReportFixture.get;
import static aim.reports.ReportFixture.patch;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status workflow, edits and history of warden reports over HTTP, on PostGIS with the demo borough. */
@Tag("postgis")
class ReportWorkflowTest {
    @Fresh static TestServer server;
    static String warden;
    static String otherWarden;
    static String analyst;
    static String viewer;
    static double[] inside;
    static double[] elsewhere;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        warden = server.userToken("wendy", Role.WARDEN);
        otherWarden = server.userToken("walt", Role.WARDEN);
        analyst = server.userToken("anna", Role.ANALYST);
        viewer = server.userToken("vic", Role.VIEWER);
        inside = ReportFixture.pointInWard(server, 2);
        elsewhere = ReportFixture.pointInWard(server, 11);
    }

    private static HttpResponse<String> status(String token, long id, String body) throws Exception {
        return patch(server, token, "/api/reports/" + id + "/status", body);
    }

    @Test
    void statusMovesFollowTheWorkflowAndAreRecorded() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Sofa"));

        var assigned = status(analyst, id, "{\"status\": \"assigned\", \"assignedTo\": \"Housing team\", \"note\": \"Urgent\"}");
        assertEquals(200, assigned.statusCode(), assigned.body());
        assertEquals("assigned", json(assigned).path("status").asText());
        assertEquals("Housing team", json(assigned).path("assignedTo").asText());

        var handedOver = status(analyst, id, "{\"status\": \"assigned\", \"assignedTo\": \"Other team\"}");
        assertEquals(200, handedOver.statusCode(), handedOver.body());
        assertEquals("Other team", json(handedOver).path("assignedTo").asText());
        var reopened = status(warden, id, "{\"status\": \"open\"}");
        assertEquals(200, reopened.statusCode(), reopened.body());
        assertTrue(json(reopened).path("assignedTo").isNull(), "reopening unassigns");
        assertEquals(200, status(warden, id, "{\"status\": \"cleared\", \"note\": \"Collected\"}").statusCode());
        assertProblem(status(analyst, id, "{\"status\": \"open\"}"), 409, "status");
        assertProblem(status(analyst, id, "{\"status\": \"assigned\", \"assignedTo\": \"x\"}"), 409, "status");
        assertEquals(200, status(analyst, id, "{\"status\": \"closed\"}").statusCode());
        var fromClosed = status(analyst, id, "{\"status\": \"open\"}");
        assertProblem(fromClosed, 409, "status");
        assertTrue(json(fromClosed).path("detail").asText().contains("final"), fromClosed.body());

        assertEquals(5, ReportFixture.count(server, "SELECT count(*) FROM incident_event WHERE incident_id = ? AND kind = 'status'", id));
        JsonNode history = json(get(server, analyst, "/api/reports/" + id + "/history"));
        List<String> moves = new ArrayList<>();
        for (JsonNode e : history) {
            moves.add(e.path("kind").asText() + ":" + e.path("fromStatus").asText(null) + ">" + e.path("toStatus").asText(null)
                    + ":" + e.path("by").asText());
            assertTrue(e.has("at"));
        }
        assertEquals(List.of("created:null>open:wendy", "status:open>assigned:anna", "status:assigned>assigned:anna", "status:assigned>open:wendy",
                "status:open>cleared:wendy", "status:cleared>closed:anna"), moves);
        assertEquals("Urgent", history.get(1).path("note").asText());
        assertEquals("Housing team", history.get(1).path("changes").path("assignedTo").get(1).asText());
        assertEquals("Collected", history.get(4).path("note").asText());
    }

    @Test
    void noActionAndClosedAreFinalAndStatusValuesAreChecked() throws Exception {
        long id = create(server, warden, ReportFixture.report(inside, "env-graffiti"));
        assertProblem(status(analyst, id, "{\"status\": \"assigned\"}"), 400, "assignedTo");
        assertProblem(status(analyst, id, "{\"status\": \"done\"}"), 400, "status");
        assertProblem(status(analyst, id, "{}"), 400, "status");
        assertProblem(status(analyst, id, "{\"status\": \"open\"}"), 409, "status");
        assertProblem(status(analyst, id, "{\"status\": \"closed\", \"why\": \"x\"}"), 400, "why");
        assertEquals(200, status(analyst, id, "{\"status\": \"no-action\"}").statusCode());
        assertProblem(status(analyst, id, "{\"status\": \"closed\"}"), 409, "status");
        assertProblem(status(analyst, 999999, "{\"status\": \"closed\"}"), 404, "id");
    }

    @Test
    void onlyAnalystsAdminsAndTheReportingWardenChangeAReport() throws Exception {
        long id = create(server, warden, ReportFixture.report(inside, "env-graffiti"));
        assertProblem(status(otherWarden, id, "{\"status\": \"cleared\"}"), 403, "id");
        assertProblem(status(viewer, id, "{\"status\": \"cleared\"}"), 403, "role");
        assertProblem(patch(server, otherWarden, "/api/reports/" + id, "{\"description\": \"mine now\"}"), 403, "id");
        assertProblem(patch(server, viewer, "/api/reports/" + id, "{\"description\": \"mine now\"}"), 403, "role");
        assertProblem(get(server, otherWarden, "/api/reports/" + id + "/history"), 403, "id");
        assertEquals(200, status(server.adminToken, id, "{\"status\": \"cleared\"}").statusCode());
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident_event WHERE incident_id = ? AND kind = 'status'", id));
    }

    @Test
    void editsChangeThePresentFieldsAndRecordOldAndNewValues() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Bags"));
        String path = "/api/reports/" + id;
        var edited = patch(server, warden, path, String.format(Locale.ROOT,
                "{\"description\": \"Bags and a fridge\", \"flyTipping\": {\"wasteType\": \"white-goods\"}, \"lon\": %s, \"lat\": %s, \"accuracyM\": null}",
                elsewhere[0], elsewhere[1]));
        assertEquals(200, edited.statusCode(), edited.body());
        JsonNode r = json(edited);
        assertEquals("Bags and a fridge", r.path("description").asText());
        assertEquals("white-goods", r.path("flyTipping").path("wasteType").asText());
        assertEquals("small-van", r.path("flyTipping").path("size").asText(), "fields not given are kept");
        assertEquals("back-alley", r.path("flyTipping").path("landType").asText());
        assertEquals("Pat Resident", r.path("reporterName").asText());
        assertEquals(elsewhere[0], r.path("lon").asDouble(), 1e-6);
        assertEquals(elsewhere[1], r.path("lat").asDouble(), 1e-6);
        assertTrue(r.path("accuracyM").isNull());

        JsonNode edit = json(get(server, warden, path + "/history")).get(1);
        assertEquals("edit", edit.path("kind").asText());
        assertEquals("wendy", edit.path("by").asText());
        JsonNode changes = edit.path("changes");
        assertEquals("Bags", changes.path("description").get(0).asText());
        assertEquals("Bags and a fridge", changes.path("description").get(1).asText());
        assertEquals("household", changes.path("flyTipping.wasteType").get(0).asText());
        assertEquals(inside[0], changes.path("lon").get(0).asDouble(), 1e-6);
        assertEquals(elsewhere[0], changes.path("lon").get(1).asDouble(), 1e-6);
        assertEquals(8.5, changes.path("accuracyM").get(0).asDouble());
        assertTrue(changes.path("accuracyM").get(1).isNull());
        java.util.Set<String> fields = new java.util.HashSet<>();
        changes.fieldNames().forEachRemaining(fields::add); // jsonb keeps no key order
        assertEquals(java.util.Set.of("lon", "lat", "accuracyM", "description", "flyTipping.wasteType"), fields);

        // the same values again change nothing and record nothing
        var same = patch(server, warden, path, String.format(Locale.ROOT, "{\"description\": \"Bags and a fridge\", \"lon\": %s}", elsewhere[0]));
        assertEquals(200, same.statusCode(), same.body());
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident_event WHERE incident_id = ? AND kind = 'edit'", id));

        // leaving fly-tipping drops its details; coming back needs them
        var graffiti = patch(server, analyst, path, "{\"category\": \"env-graffiti\"}");
        assertEquals(200, graffiti.statusCode(), graffiti.body());
        assertTrue(json(graffiti).path("flyTipping").isNull());
        assertEquals(0, ReportFixture.count(server, "SELECT count(*) FROM incident WHERE id = ? AND fly_size IS NOT NULL", id));
        assertProblem(patch(server, analyst, path, "{\"category\": \"fly-tipping\"}"), 400, "flyTipping.size");
        assertProblem(patch(server, analyst, path, "{\"flyTipping\": {\"size\": \"car-boot\"}}"), 400, "flyTipping");
        assertEquals(200, patch(server, analyst, path,
                "{\"category\": \"fly-tipping\", \"flyTipping\": {\"size\": \"car-boot\", \"wasteType\": \"green\"}}").statusCode());
    }

    @Test
    void editedValuesAreCheckedLikeNewOnes() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Check me"));
        String path = "/api/reports/" + id;
        assertProblem(patch(server, warden, path, "{\"lon\": -1.0, \"lat\": 52.0}"), 422, "location");
        assertProblem(patch(server, warden, path, "{\"lat\": 95}"), 400, "lat");
        assertProblem(patch(server, warden, path, "{\"lon\": null}"), 400, "lon");
        assertProblem(patch(server, warden, path, "{\"category\": null}"), 400, "category");
        assertProblem(patch(server, warden, path, "{\"category\": \"unicorns\"}"), 400, "category");
        assertProblem(patch(server, warden, path, "{\"occurredAt\": \"2999-01-01T00:00:00Z\"}"), 422, "occurredAt");
        assertProblem(patch(server, warden, path, "{\"occurredAt\": null}"), 400, "occurredAt");
        assertProblem(patch(server, warden, path, "{\"flyTipping\": {\"size\": \"huge\"}}"), 400, "flyTipping.size");
        assertProblem(patch(server, warden, path, "{\"flyTipping\": null}"), 400, "flyTipping.size");
        assertProblem(patch(server, warden, path, "{\"status\": \"closed\"}"), 400, "status");
        assertProblem(patch(server, warden, path, "[1]"), 400, "body");
        assertEquals(1, ReportFixture.count(server, "SELECT count(*) FROM incident_event WHERE incident_id = ?", id), "nothing recorded");
        JsonNode r = json(get(server, warden, path));
        assertEquals(inside[0], r.path("lon").asDouble(), 1e-6);
        assertEquals("Check me", r.path("description").asText());
    }

    @Test
    void historyHidesPeopleAndPersonalChangesFromViewers() throws Exception {
        long id = create(server, warden, flyTipping(inside, "Secret description"));
        patch(server, warden, "/api/reports/" + id, "{\"description\": \"Another secret\", \"locationText\": \"Behind the shops\"}");
        status(analyst, id, "{\"status\": \"assigned\", \"assignedTo\": \"Street cleansing\", \"note\": \"Called Mrs Smith\"}");
        var response = get(server, viewer, "/api/reports/" + id + "/history");
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(response.body().contains("secret"), response.body());
        assertFalse(response.body().contains("Smith"), response.body());
        assertFalse(response.body().contains("wendy"), response.body());
        JsonNode history = json(response);
        assertEquals(3, history.size());
        assertFalse(history.get(0).has("by"));
        assertEquals("Behind the shops", history.get(1).path("changes").path("locationText").get(1).asText());
        // the assignee is personal data too (issue 8): left out of the change for viewers
        assertFalse(history.get(2).path("changes").has("assignedTo"), history.get(2).toString());
        assertFalse(response.body().contains("Street cleansing"), response.body());
        assertEquals("Street cleansing", json(get(server, analyst, "/api/reports/" + id + "/history")).get(2)
                .path("changes").path("assignedTo").get(1).asText());
    }
}
