package dev.botshift.schema.lint;

import dev.botshift.os.Sha256;
import dev.botshift.schema.ChangelogSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import liquibase.ChecksumVersion;
import liquibase.changelog.ChangeSet;

/**
 * What a changelog says, as one digest: every changeset in order, by its identity, its labels (the phases file's
 * included) and its Liquibase checksum (its SQL, an {@code sqlFile}'s contents). A changelog edited after it was linted
 * (hours may pass between a deploy's expand and its contract) has another, so the schema engine lints again before it
 * runs anything: what runs is what was linted.
 */
public final class ChangelogFingerprint {
    private ChangelogFingerprint() {
    }

    /** @throws dev.botshift.core.InvalidInputException when the changelog cannot be read, as the linter would say */
    public static String of(ChangelogSource source) {
        return ChangelogReader.forLint(source, read -> {
            MessageDigest sha = Sha256.digest();
            for (ChangeSet cs : read.changelog().getChangeSets()) {
                add(sha, ChangelogLinter.key(cs.getId(), cs.getAuthor(), cs.getFilePath()));
                add(sha, String.valueOf(cs.getLabels()));
                add(sha, checksum(cs));
            }
            read.unusedPhasePatterns().forEach(p -> add(sha, p));
            return HexFormat.of().formatHex(sha.digest());
        });
    }

    private static String checksum(ChangeSet cs) {
        try {
            return cs.generateCheckSum(ChecksumVersion.latest()).toString();
        } catch (RuntimeException unreadable) {
            // a customChange whose class is not at hand: its description still changes with its parameters
            return "unreadable:" + cs.getDescription();
        }
    }

    private static void add(MessageDigest sha, String part) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

}
