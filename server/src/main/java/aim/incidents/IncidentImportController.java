package aim.incidents;

import aim.core.DomainException;
import aim.web.Uploads;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Path;

/**
 * HTTP endpoints of the incident imports (admins and analysts): the upload is a CSV request body
 * or the multipart part {@code file}; the answer is the {@link IncidentImportReport}.
 */
public final class IncidentImportController {
    private final PoliceCsvImporter police;
    private final CouncilCsvImporter council;

    public IncidentImportController(PoliceCsvImporter police, CouncilCsvImporter council) {
        this.police = police;
        this.council = council;
    }

    /** POST /api/incidents/import/police: one data.police.uk street-level CSV file. */
    public void importPolice(Context ctx) throws IOException {
        Path file = Uploads.saveBody(ctx, "file");
        try {
            ctx.json(police.importFile(file));
        } finally {
            Uploads.delete(file);
        }
    }

    /**
     * POST /api/incidents/import/council?map=…: a council CSV with its column mapping, given as the
     * {@code map} query parameter (inline {@code field=Column,…} or a JSON object) or, in a
     * multipart request, as the form field {@code map}.
     */
    public void importCouncil(Context ctx) throws IOException {
        String map = ctx.queryParam("map");
        if ((map == null || map.isBlank()) && Uploads.isMultipart(ctx)) map = Uploads.field(ctx, "map");
        if (map == null || map.isBlank()) {
            throw DomainException.invalid("map", "map is required: which column holds which field, e.g. "
                    + "map=id=Ref,category=Type,occurred=Date Reported,easting=X,northing=Y");
        }
        CouncilColumnMapping mapping = CouncilColumnMapping.parse(map);
        Path file = Uploads.saveBody(ctx, "file");
        try {
            ctx.json(council.importFile(file, mapping));
        } finally {
            Uploads.delete(file);
        }
    }
}
