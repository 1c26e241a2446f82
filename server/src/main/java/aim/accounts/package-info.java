/**
 * User accounts and roles (admin, analyst, warden, planner, viewer): bcrypt-hashed passwords,
 * browser sessions in an HttpOnly cookie, API tokens for devices and scripts, and the rule that
 * decides which role may call which endpoint.
 */
package aim.accounts;
