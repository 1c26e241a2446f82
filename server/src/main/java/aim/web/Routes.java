package aim.web;

import aim.accounts.AccountController;
import aim.boundaries.BoundaryController;
import aim.incidents.IncidentController;
import io.javalin.apibuilder.EndpointGroup;

import static aim.accounts.Role.ADMIN;
import static aim.accounts.Role.ANY;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

/**
 * Every endpoint of the API in one table. An endpoint listed with roles needs a signed-in user with
 * one of them (checked by {@link aim.accounts.AccessControl}); one without roles is public.
 */
final class Routes {
    private Routes() {
    }

    record Controllers(HealthController service, AccountController accounts, BoundaryController boundaries,
                       IncidentController incidents) {
    }

    static EndpointGroup table(Controllers c) {
        return () -> path("api", () -> {
            get("health", c.service()::health);
            get("config", c.service()::mapConfig);
            get("openapi.json", c.service()::openApi);

            post("login", c.accounts()::logIn);
            post("logout", c.accounts()::logOut);
            get("me", c.accounts()::me, ANY);
            post("me/tokens", c.accounts()::createToken, ANY);
            get("users", c.accounts()::listUsers, ADMIN);
            post("users", c.accounts()::createUser, ADMIN);

            get("boundaries", c.boundaries()::list);
            get("boundaries/versions", c.boundaries()::versions);
            post("boundaries/import", c.boundaries()::importFile, ADMIN);
            put("boundaries/neighbourhoods/{version}", c.boundaries()::defineNeighbourhoods, ADMIN);
            get("boundaries/{level}/{code}", c.boundaries()::one);

            post("populations", c.boundaries()::importPopulation, ADMIN);
            post("populations/apportion", c.boundaries()::apportionPopulation, ADMIN);

            get("incidents", c.incidents()::list, ANY);
            get("incidents/categories", c.incidents()::categories);
            get("incidents/{id}", c.incidents()::one, ANY);
        });
    }
}
