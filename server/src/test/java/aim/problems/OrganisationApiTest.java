package aim.problems;

import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static aim.problems.LoopFixture.counts;
import static aim.problems.LoopFixture.get;
import static aim.problems.LoopFixture.json;
import static aim.problems.LoopFixture.patch;
import static aim.problems.LoopFixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partner organisations and partner users over HTTP. */
@Tag("postgis")
class OrganisationApiTest {
    @Fresh static TestServer server;
    static String analyst;

    @BeforeAll
    static void start() throws Exception {
        analyst = server.userToken("anna", Role.ANALYST);
        LoopFixture.organisation(server, "youth", "Youth Service", "youth");
    }

    @Test
    void adminsAddAndChangeOrganisationsEveryoneListsThem() throws Exception {
        var r = post(server, "/api/organisations", server.adminToken, "{\"code\": \"housing\", \"name\": \"Thirteen Housing\", \"kind\": \"housing\"}");
        assertEquals(201, r.statusCode(), r.body());
        long id = json(r).path("id").asLong();
        assertEquals("/api/organisations/" + id, r.headers().firstValue("Location").orElseThrow());
        JsonNode list = json(get(server, "/api/organisations", analyst));
        List<String> names = java.util.stream.StreamSupport.stream(list.spliterator(), false).map(o -> o.path("name").asText()).toList();
        assertEquals(names.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList(), names);
        var changed = patch(server, "/api/organisations/" + id, server.adminToken, "{\"name\": \"Thirteen Group\", \"active\": false}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("Thirteen Group", json(changed).path("name").asText());
        assertTrue(!json(changed).path("active").asBoolean());
        assertEquals("housing", json(changed).path("kind").asText());
        assertEquals(404, patch(server, "/api/organisations/999999", server.adminToken, "{\"name\": \"X\"}").statusCode());
    }

    @Test
    void badOrganisationsAre4xxNamingTheFieldAndWriteNothing() throws Exception {
        List<String[]> cases = List.of(
                new String[]{"{\"code\": \"youth\", \"name\": \"Other\", \"kind\": \"youth\"}", "code", "409"},
                new String[]{"{\"code\": \"youth2\", \"name\": \" youth service \", \"kind\": \"youth\"}", "name", "409"},
                new String[]{"{\"code\": \"Bad Code\", \"name\": \"B\", \"kind\": \"youth\"}", "code", "400"},
                new String[]{"{\"code\": \"fine\", \"name\": \"\", \"kind\": \"youth\"}", "name", "400"},
                new String[]{"{\"code\": \"fine\", \"name\": \"Fine\", \"kind\": \"army\"}", "kind", "400"});
        List<Long> before = counts(server);
        for (String[] c : cases) {
            var r = post(server, "/api/organisations", server.adminToken, c[0]);
            assertEquals(Integer.parseInt(c[2]), r.statusCode(), c[0] + " → " + r.body());
            assertEquals(c[1], json(r).path("field").asText());
        }
        assertEquals(403, post(server, "/api/organisations", analyst, "{\"code\": \"x1\", \"name\": \"X1\", \"kind\": \"other\"}").statusCode());
        assertEquals(before, counts(server));
    }

    @Test
    void partnersBelongToAnOrganisation() throws Exception {
        List<Long> before = counts(server);
        var missing = post(server, "/api/users", server.adminToken,
                "{\"username\": \"pat\", \"role\": \"partner\", \"password\": \"" + TestServer.PASSWORD + "\"}");
        assertEquals(422, missing.statusCode(), missing.body());
        assertEquals("organisation", json(missing).path("field").asText());
        var unknown = post(server, "/api/users", server.adminToken,
                "{\"username\": \"pat\", \"role\": \"partner\", \"organisation\": \"nobody\", \"password\": \"" + TestServer.PASSWORD + "\"}");
        assertEquals(422, unknown.statusCode(), unknown.body());
        assertEquals("organisation", json(unknown).path("field").asText());
        assertEquals(before, counts(server));

        var created = post(server, "/api/users", server.adminToken,
                "{\"username\": \"pat\", \"role\": \"partner\", \"organisation\": \"youth\", \"password\": \"" + TestServer.PASSWORD + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("youth", json(created).path("organisation").path("code").asText());
        String token = server.accounts.createApiToken("pat", "t");
        JsonNode me = json(get(server, "/api/me", token));
        assertEquals("partner", me.path("role").asText());
        assertEquals("Youth Service", me.path("organisation").path("name").asText());
        assertTrue(json(get(server, "/api/me", analyst)).path("organisation").isNull());
        boolean listed = false;
        for (JsonNode u : json(get(server, "/api/users", server.adminToken))) {
            if (u.path("username").asText().equals("pat")) {
                listed = true;
                assertEquals("youth", u.path("organisation").path("code").asText());
            }
        }
        assertTrue(listed);
        // partners read problems like viewers but may not create them
        assertEquals(200, get(server, "/api/problems", token).statusCode());
        assertEquals(403, post(server, "/api/organisations", token, "{\"code\": \"x2\", \"name\": \"X2\", \"kind\": \"other\"}").statusCode());
    }
}
