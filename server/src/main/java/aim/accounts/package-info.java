/**
 * User accounts and roles (admin, analyst, warden, planner, viewer): bcrypt-hashed passwords,
 * browser sessions in an HttpOnly cookie whose writes must come from AIM's own pages
 * ({@link aim.web.SameOriginWrites}), expiring and revocable API tokens for devices and scripts,
 * log-in lockout per name and throttling per address, and the rule that decides which role may call
 * which endpoint.
 */
package aim.accounts;
