/**
 * Test fixtures: one PostGIS server and one migrated template database per test run ({@link aim.testing.TestDatabase}),
 * a copy of the template for each test class through its static {@link aim.testing.Fresh} fields
 * ({@link aim.testing.FreshDatabaseExtension}), the real app over one ({@link aim.testing.TestServer}),
 * headless Chromium ({@link aim.testing.Browser}) and the shared open data ({@link aim.testing.SharedData}).
 */
package aim.testing;
