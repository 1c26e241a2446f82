/**
 * Meetings of the AIM group (date, title, attending partner organisations, agenda of problems,
 * decisions) and the meeting briefing: what changed since the previous meeting, as JSON and rendered
 * from that JSON as a projector/print page (XHTML with an inline SVG map) and a PDF made on the server.
 * Counts go through the caller's {@link aim.incidents.Redaction}; actions follow the one visibility rule
 * of the problems domain. Geometries are EPSG:27700 metres; links point at the web map's view URLs.
 */
package aim.meetings;
