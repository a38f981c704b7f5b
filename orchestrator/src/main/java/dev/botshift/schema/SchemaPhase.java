package dev.botshift.schema;

/** Which half of an expand/contract release a changeset belongs to; also its Liquibase label. */
public enum SchemaPhase {
    EXPAND, CONTRACT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
