/**
 * Wiring only: the app factory ({@link aim.web.App}), the one route table, the one error path to
 * RFC 9457 problems, admin access and the static web map.
 */
package aim.web;
