package aim.accounts;

import aim.core.DomainException;
import aim.web.JsonBodies;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** The partner organisations over HTTP: anyone signed in lists them, admins add and change them. */
public final class OrganisationController {
    private final Organisations organisations;

    public OrganisationController(Organisations organisations) {
        this.organisations = organisations;
    }

    /** GET /api/organisations */
    public void list(Context ctx) {
        ctx.json(organisations.list());
    }

    public record NewOrganisation(String code, String name, String kind) {
    }

    /** POST /api/organisations {code, name, kind} (admin) */
    public void create(Context ctx) {
        NewOrganisation body = JsonBodies.read(ctx, NewOrganisation.class);
        Organisation o = organisations.create(body.code() == null ? null : body.code().strip(), body.name(),
                body.kind() == null ? null : body.kind().strip());
        ctx.status(HttpStatus.CREATED).header("Location", "/api/organisations/" + o.id()).json(o);
    }

    public record OrganisationChange(String name, String kind, Boolean active) {
    }

    /** PATCH /api/organisations/{id} {name?, kind?, active?} (admin) */
    public void update(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).check(i -> i > 0, "an organisation id is a positive whole number").get();
        OrganisationChange body = JsonBodies.read(ctx, OrganisationChange.class);
        ctx.json(organisations.update(id, body.name(), body.kind() == null ? null : body.kind().strip(), body.active())
                .orElseThrow(() -> DomainException.notFound("id", "no organisation " + id)));
    }
}
