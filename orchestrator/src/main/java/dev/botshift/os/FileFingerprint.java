package dev.botshift.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a file held when it was looked at: its size, its modification time and the SHA-256 of its content. Telling
 * whether it still holds that costs two {@code stat} fields while neither moved; the content is read again only when
 * one did (a file touched but unchanged still matches).
 *
 * @param sha256 null for a file larger than {@link #MAX_HASHED}: size and time alone then tell
 */
public record FileFingerprint(long size, long modifiedMillis, String sha256) {
    /** A bot's jar or script is megabytes; reading gigabytes at each deploy would stall it. */
    static final long MAX_HASHED = 1L << 30;

    /** The fingerprint of a regular file (links followed), or empty when there is none there. */
    public static Optional<FileFingerprint> of(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            long size = Files.size(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            return Optional.of(new FileFingerprint(size, modified, size > MAX_HASHED ? null : sha256(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code file} still holds what this fingerprint saw. */
    public boolean matches(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != size) {
                return false;
            }
            if (Files.getLastModifiedTime(file).toMillis() == modifiedMillis) {
                return true;
            }
            return sha256 != null && sha256.equals(sha256(file));
        } catch (IOException e) {
            return false;
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = Sha256.digest();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
