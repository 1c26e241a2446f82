package aim.incidents;

import javax.sql.DataSource;

/**
 * Where controllers get the incident taxonomy from, so that none needs a {@link DataSource}: it is read
 * on each call (it is a few dozen rows, and admins may add categories while the server runs).
 */
public final class TaxonomyRepository {
    private final DataSource dataSource;

    public TaxonomyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Taxonomy load() {
        return Taxonomy.load(dataSource);
    }
}
