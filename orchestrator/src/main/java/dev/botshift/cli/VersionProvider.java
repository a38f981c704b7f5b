package dev.botshift.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (set by the build). */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"botshift " + (v == null ? "development build" : v),
                "Java " + System.getProperty("java.version")};
    }
}
