/**
 * The AIM group's area views: incident counts and rates per 1,000 residents by ward or neighbourhood,
 * ranked and compared with the previous equivalent period (Poisson test), as JSON or CSV; and time
 * series per month or UK financial-year quarter for a ward, a neighbourhood, the borough or one grid
 * cell, with the top categories. Incidents are assigned to wards in EPSG:27700 (metres) as
 * {@link aim.areas.AreaIncidentSql} describes, read through the shared {@link aim.incidents.IncidentFilter}.
 */
package aim.areas;
