package dev.botshift.traffic.router;

import dev.botshift.core.Slot;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Picks the colour of a request. A conversation key is hashed into one of 100 buckets; green owns the buckets
 * below its percentage, blue the rest. Raising green's weight hands it whole buckets from the top of its range and
 * lowering it gives them back, so a conversation changes colour at most once per direction of travel (the idea of
 * NGINX {@code split_clients}). Requests without a key are split at random with the same weights.
 */
public final class BucketSplit {
    public static final int BUCKETS = 100;

    private BucketSplit() {
    }

    /**
     * @param percentOfB   the share slot B can serve (see {@link RouterConfig#effectivePercentOfB()})
     * @param key          the conversation key, if the request carries one
     * @param random       a source of numbers in [0, 100) for requests without a key
     */
    public static Slot pick(int percentOfB, Optional<String> key, IntSupplier random) {
        int bucket = key.map(BucketSplit::bucketOf).orElseGet(random::getAsInt);
        return bucket < percentOfB ? Slot.B : Slot.A;
    }

    /** The bucket of a key; the same in every process and on every machine (no JVM-seeded hash). */
    public static int bucketOf(String key) {
        return (int) Long.remainderUnsigned(mix(fnv1a(key.getBytes(StandardCharsets.UTF_8))), BUCKETS);
    }

    private static long fnv1a(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /**
     * MurmurHash3's 64-bit finaliser: FNV alone leaves the low bits of short numeric ids (sequential chat ids)
     * poorly spread, and the bucket is taken modulo 100.
     */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
