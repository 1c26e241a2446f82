/**
 * Geotagged warden reports (fly-tipping, ASB, environmental crime) recorded on a phone with poor
 * signal: idempotent creation, the status workflow with its history, edits, and photos stored as
 * the original and a re-encoded copy without metadata. Reports are rows of the incident store
 * (source {@code warden}); locations arrive in WGS84 degrees and are stored in EPSG:27700 metres.
 */
package aim.reports;
