package dev.botshift.traffic.router;

import dev.botshift.core.LocalFileException;
import dev.botshift.os.PrivateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The credential of a router's admin API: 256 random bits, generated for each router process and kept in a file
 * only its owner can read ({@value #FILE_NAME} in the router's folder of the state directory, mode {@code 0600}).
 * Botshift's client sends it as {@code Authorization: Bearer <token>}. It never appears in a log, an error, the state
 * document or a process's arguments: {@link #toString()} hides it, and the router reads it from the file.
 */
public final class AdminToken {
    public static final String FILE_NAME = "admin-token";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{32,512}");

    private final String value;

    private AdminToken(String value) {
        this.value = value;
    }

    /** A fresh token from {@link SecureRandom}. */
    public static AdminToken generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new AdminToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Writes the token to {@code file} (replacing it atomically), readable by its owner only. */
    public AdminToken writeTo(Path file) {
        PrivateFiles.replace(file, value.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /**
     * Reads a token file, refusing one that others could read or replace (a token anyone may read protects nothing).
     *
     * @throws LocalFileException (exit 2) when it is missing, a link, not ours, readable by others or malformed
     */
    public static AdminToken readFrom(Path file) {
        String text = new String(PrivateFiles.readOwn(file, "admin token file"), StandardCharsets.US_ASCII).strip();
        if (!SHAPE.matcher(text).matches()) {
            throw new LocalFileException("admin token file " + file + " does not hold a token (32 to 512 of "
                    + "A-Z a-z 0-9 _ -)");
        }
        return new AdminToken(text);
    }

    /**
     * Whether {@code presented} is this token, in time independent of where they differ and of their lengths:
     * both are hashed first, and the digests compared with {@link MessageDigest#isEqual}.
     */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), sha256(value));
    }

    /** The {@code Authorization} header value. */
    String authorization() {
        return "Bearer " + value;
    }

    static byte[] sha256(String text) {
        return dev.botshift.os.Sha256.digest().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
