/**
 * Database plumbing shared by every domain: where the database is ({@link aim.db.DatabaseUrl}),
 * the connection pool and migrations ({@link aim.db.Database}), and the private PostgreSQL cluster
 * that {@code ./aim} and the tests start when no database is given ({@link aim.db.PrivateCluster}).
 */
package aim.db;
