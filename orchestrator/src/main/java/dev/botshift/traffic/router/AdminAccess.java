package dev.botshift.traffic.router;

/**
 * Who may use a router's admin API (which listens on 127.0.0.1 only). A closed set:
 * <ul>
 *   <li>{@link Token}: every request but {@code GET /botshift/healthz} must carry the router's {@link AdminToken};
 *   changes are allowed. The embedded default: other users of the machine reach 127.0.0.1 too.</li>
 *   <li>{@link ReadOnly}: reads are open, changes refused with the reason. The in-cluster router: its config comes
 *   from a ConfigMap that RBAC guards, and its 127.0.0.1 is reachable only from its own pod, so there is nothing to
 *   change through the port and no token to distribute.</li>
 * </ul>
 */
public sealed interface AdminAccess {

    record Token(AdminToken token) implements AdminAccess {
    }

    /** @param why what the refusal of a change says (where the config comes from instead) */
    record ReadOnly(String why) implements AdminAccess {
    }
}
