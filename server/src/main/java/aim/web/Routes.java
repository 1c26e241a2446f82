package aim.web;

import aim.boundaries.BoundaryController;
import io.javalin.apibuilder.EndpointGroup;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

/** Every endpoint of the API in one table. Admin-only endpoints are wrapped in {@code admin.require}. */
final class Routes {
    private Routes() {
    }

    static EndpointGroup table(HealthController service, BoundaryController boundaries, AdminAccess admin) {
        return () -> path("api", () -> {
            get("health", service::health);
            get("config", service::mapConfig);
            get("openapi.json", service::openApi);

            get("boundaries", boundaries::list);
            get("boundaries/versions", boundaries::versions);
            post("boundaries/import", admin.require(boundaries::importFile));
            put("boundaries/neighbourhoods/{version}", admin.require(boundaries::defineNeighbourhoods));
            get("boundaries/{level}/{code}", boundaries::one);

            post("populations", admin.require(boundaries::importPopulation));
            post("populations/apportion", admin.require(boundaries::apportionPopulation));
        });
    }
}
