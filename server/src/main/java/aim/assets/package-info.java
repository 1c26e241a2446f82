/**
 * Community assets: places (hubs, libraries, schools, parks…), services (Open Referral UK fields:
 * organisation, location, contacts, schedules, eligibility, cost, languages, service area) and people
 * (community champions, residents' groups, volunteers: personal data, seen only by admins and analysts,
 * every read audited). Planner tools: the directory search, coverage per ward, gaps under hotspots and
 * overlapping provision. Geometries are stored in British National Grid (EPSG:27700, metres).
 */
package aim.assets;
